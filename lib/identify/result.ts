// Model output + catalog facts -> what the person reads. Pure: the browser and the server run exactly this.
import { slugFor } from "../catalog/names";
import { resolveTaxon } from "../taxonomy/index.ts";
import { annotateDistribution, decideVerdict, DEFAULT_WARNING_THRESHOLD, type CatalogTaxonFacts, type Verdict } from "../verdict/index.ts";
import { combinePhotoProbs, peakPhotoProbs, topK, type Ranked } from "./combine";
import type { CandidateFacts, SpeciesFacts } from "./species-facts";

export const TOP_K = 5;
/** Most labels one facts request may name (top-k plus every class any photo gives >= 2%: at most 50). */
export const MAX_FACT_LABELS = 64;

export type IdentifyResult = {
  /** The top candidates for display, with their facts; warnings come from the whole distribution. */
  candidates: (Ranked & { facts: SpeciesFacts | null })[];
  verdict: Verdict;
  /** "catalog": the catalog's facts were merged in; "bundled": it was not reached, the bundled tables alone were used. */
  factsFrom: "catalog" | "bundled";
};

/** Labels whose facts matter: the displayed top-k, and every class a photo gives at least the warning threshold. */
export function labelsNeedingFacts(labels: readonly string[], perPhoto: readonly ArrayLike<number>[], k = TOP_K): string[] {
  const pooled = combinePhotoProbs(perPhoto);
  const peak = peakPhotoProbs(perPhoto);
  const out = new Set(topK(pooled, labels, k).map((r) => r.label));
  const risky = topK(peak, labels, MAX_FACT_LABELS).filter((r) => r.probability >= DEFAULT_WARNING_THRESHOLD);
  for (const r of risky) if (out.size < MAX_FACT_LABELS) out.add(r.label);
  return [...out];
}

export type BuildInput = {
  labels: readonly string[];
  /** One probability vector per photo of the find. */
  perPhoto: readonly ArrayLike<number>[];
  /** Catalog facts for (some) labels, or null when the catalog could not be reached. */
  facts: readonly CandidateFacts[] | null;
  abstainThreshold?: number;
  k?: number;
};

export function buildResult(input: BuildInput): IdentifyResult {
  const { labels, perPhoto, facts, abstainThreshold, k = TOP_K } = input;
  const probs = combinePhotoProbs(perPhoto);
  const peak = peakPhotoProbs(perPhoto);
  const byLabel = facts ? new Map(facts.map((f) => [f.label, f.species])) : undefined;
  const catalog = byLabel && new Map<string, CatalogTaxonFacts | null>([...byLabel].map(([l, s]) => [l, s ? toCatalogFacts(s) : null]));
  const { candidates, genera } = annotateDistribution({ labels, probs, peak, catalog });
  const verdict = decideVerdict(candidates, abstainThreshold === undefined ? {} : { abstainThreshold }, genera);
  const shown = topK(probs, labels, k).map((r) => {
    const a = candidates[r.index]!;
    const fromCatalog = byLabel?.get(r.label) ?? null;
    return { ...r, facts: fromCatalog ? { ...fromCatalog, edibility: a.edibility } : bundledFacts(a.scientificName, a.edibility, a.edibilitySource) };
  });
  return { candidates: shown, verdict, factsFrom: facts ? "catalog" : "bundled" };
}

function toCatalogFacts(s: SpeciesFacts): CatalogTaxonFacts {
  return { scientificName: s.scientificName, edibility: s.edibility, edibilitySource: s.edibilitySource, lookalikes: s.lookalikes };
}

/** Display facts from the bundled taxonomy when the catalog was not reached (no photos; the page links by slug). */
function bundledFacts(name: string, edibility: SpeciesFacts["edibility"], source: string | undefined): SpeciesFacts | null {
  const taxon = resolveTaxon(name);
  if (!taxon || taxon.rank === "family") return null;
  return {
    slug: slugFor(taxon.name),
    scientificName: taxon.name,
    rank: taxon.rank,
    commonName: taxon.commonNames[0] ?? null,
    edibility,
    edibilitySource: source ?? null,
    edibilityNote: null,
    photos: [],
    lookalikes: [],
  };
}
