import type { Edibility } from "../edibility/types.ts";

/** A known lookalike of a candidate, with the lookalike's own edibility. */
export interface CandidateLookalike {
  scientificName: string;
  edibility: Edibility;
  note?: string;
}

/** One model candidate, annotated with its catalog facts. */
export interface Candidate {
  /** Accepted name of the taxon (a species, or a genus, section or group for labels above species). */
  scientificName: string;
  /** Calibrated probability in [0, 1] (pooled over the photos of one find). */
  probability: number;
  /**
   * The probability used for danger warnings, when it differs: the highest any single photo gave. One confident
   * photo must not pool a deadly candidate that another photo favours below the warning threshold.
   */
  dangerProbability?: number;
  /** Genus of the taxon, for the genus-level answer and genus warnings; absent when unknown. */
  genus?: string | null;
  /** Rank of the taxon (species when absent). */
  rank?: "species" | "group" | "section" | "genus";
  edibility: Edibility;
  /** Short citation of the source for `edibility`, shown with edible listings. */
  edibilitySource?: string;
  lookalikes?: readonly CandidateLookalike[];
}

/** What is known about a genus as a whole (from lib/edibility's genus facts). */
export interface GenusInfo {
  genus: string;
  /** The most dangerous class any member has; UNKNOWN when no source says. */
  worst: Edibility;
  /** One sentence that saves lives ("includes deadly species ..."). */
  fact?: string;
  source?: string;
}

export interface VerdictOptions {
  /** Top probability below this -> "not-sure". Choose it on validation data. */
  abstainThreshold?: number;
  /** Top two closer than this (absolute difference) -> "not-sure". */
  minMargin?: number;
  /** Candidates at or above this probability are "non-trivial" for danger warnings. */
  warningThreshold?: number;
}

export type VerdictKind =
  | "not-sure"
  | "genus"
  | "deadly"
  | "poisonous"
  | "psychoactive"
  | "not-edible"
  | "edibility-unknown"
  | "edible-per-source-with-caution";

/** danger, dangerous-lookalike and dangerous-genus are shown as danger; the others as cautions. */
export type WarningKind = "danger" | "dangerous-lookalike" | "dangerous-genus" | "genus-caution" | "psychoactive";

export interface VerdictWarning {
  kind: WarningKind;
  scientificName: string;
  edibility: Edibility;
  /** Probability the model gave this species; null when it is not among the candidates. */
  probability: number | null;
  message: string;
}

export interface Verdict {
  /** identified: a taxon is named; genus: only its genus is clear; not-sure: neither. */
  status: "identified" | "genus" | "not-sure";
  /** The identified taxon (a genus when status is "genus"); null when not sure. */
  leading: { scientificName: string; probability: number; edibility: Edibility; rank: "species" | "group" | "section" | "genus" } | null;
  verdict: { kind: VerdictKind; headline: string; text: string };
  /** Danger warnings first (deadly before poisonous), then the rest. */
  warnings: VerdictWarning[];
  /** One human-readable sentence per decision and per warning. */
  reasons: string[];
  /** Always present: the safety notice. */
  caution: string;
  thresholds: Required<VerdictOptions>;
}
