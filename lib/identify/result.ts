// Ranked model output + catalog facts -> what the person reads. Pure: used in the browser and on the server.
import { decideVerdict, type Candidate, type Verdict } from "../verdict/index.ts";
import type { Ranked } from "./combine";
import type { CandidateFacts } from "./species-facts";

export type IdentifyResult = {
  candidates: (Ranked & { facts: CandidateFacts["species"] })[];
  verdict: Verdict;
};

export function buildResult(ranked: readonly Ranked[], facts: readonly CandidateFacts[], abstainThreshold?: number): IdentifyResult {
  const byLabel = new Map(facts.map((f) => [f.label, f.species]));
  const candidates = ranked.map((r) => ({ ...r, facts: byLabel.get(r.label) ?? null }));
  const forVerdict: Candidate[] = candidates.map((c) => ({
    // A label unknown to the catalog keeps its own name and counts as UNKNOWN edibility (not edible).
    scientificName: c.facts?.scientificName ?? c.label,
    probability: c.probability,
    edibility: c.facts?.edibility ?? "UNKNOWN",
    edibilitySource: c.facts?.edibilitySource ?? undefined,
    lookalikes: c.facts?.lookalikes.map((l) => ({ scientificName: l.scientificName, edibility: l.edibility, note: l.note ?? undefined })),
  }));
  return { candidates, verdict: decideVerdict(forVerdict, abstainThreshold === undefined ? {} : { abstainThreshold }) };
}
