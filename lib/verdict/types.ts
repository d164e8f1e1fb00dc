import type { Edibility } from "../edibility/types.ts";

/** A known lookalike of a candidate, with the lookalike's own edibility. */
export interface CandidateLookalike {
  scientificName: string;
  edibility: Edibility;
  note?: string;
}

/** One model candidate, annotated with its catalog facts. */
export interface Candidate {
  scientificName: string;
  /** Calibrated probability in [0, 1]. */
  probability: number;
  edibility: Edibility;
  /** Short citation of the source for `edibility`, shown with edible listings. */
  edibilitySource?: string;
  lookalikes?: readonly CandidateLookalike[];
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
  | "deadly"
  | "poisonous"
  | "psychoactive"
  | "not-edible"
  | "edibility-unknown"
  | "edible-per-source-with-caution";

export type WarningKind = "danger" | "dangerous-lookalike" | "psychoactive";

export interface VerdictWarning {
  kind: WarningKind;
  scientificName: string;
  edibility: Edibility;
  /** Probability the model gave this species; null when it is not among the candidates. */
  probability: number | null;
  message: string;
}

export interface Verdict {
  status: "identified" | "not-sure";
  /** The identified species; null when not sure. */
  leading: { scientificName: string; probability: number; edibility: Edibility } | null;
  verdict: { kind: VerdictKind; headline: string; text: string };
  /** Danger warnings first (deadly before poisonous), then the rest. */
  warnings: VerdictWarning[];
  /** One human-readable sentence per decision and per warning. */
  reasons: string[];
  /** Always present: the safety notice. */
  caution: string;
  thresholds: Required<VerdictOptions>;
}
