import { findEntry, lookalikesOf } from "../edibility/knowledge.ts";
import type { Candidate } from "./types.ts";

export interface ModelCandidate {
  scientificName: string;
  probability: number;
}

/**
 * Attach edibility, its source and lookalikes from the knowledge table.
 * Species missing from the table come back UNKNOWN (treated as not edible).
 */
export function annotateCandidates(candidates: readonly ModelCandidate[]): Candidate[] {
  return candidates.map((c) => {
    const entry = findEntry(c.scientificName);
    return {
      scientificName: entry?.scientificName ?? c.scientificName,
      probability: c.probability,
      edibility: entry?.edibility ?? "UNKNOWN",
      edibilitySource: entry?.source.title,
      lookalikes: lookalikesOf(c.scientificName).map((l) => ({
        scientificName: l.scientificName,
        edibility: l.edibility,
        note: l.note,
      })),
    };
  });
}
