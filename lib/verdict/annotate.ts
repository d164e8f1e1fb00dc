// The one annotation step between a model's output and the verdict, shared by the server route and the browser:
// every class label resolves through lib/taxonomy to its accepted taxon, takes edibility, lookalikes and genus
// facts from the bundled sourced tables, and, when the catalog answered, the more dangerous of the catalog's class
// and the table's (a catalog source may add danger, never remove it).
import { findEntry, genusFact, lookalikesOf } from "../edibility/knowledge.ts";
import { moreDangerous, type Edibility } from "../edibility/types.ts";
import { resolveTaxon } from "../taxonomy/index.ts";
import { nameKey } from "../taxonomy/names.ts";
import type { Candidate, CandidateLookalike, GenusInfo } from "./types.ts";

/** What the catalog adds about one taxon (its database may know sources the bundle does not). */
export interface CatalogTaxonFacts {
  scientificName: string;
  edibility: Edibility;
  edibilitySource?: string | null;
  lookalikes: readonly { scientificName: string; edibility: Edibility; note?: string | null }[];
}

export interface AnnotateInput {
  labels: readonly string[];
  /** Pooled probability per class. */
  probs: ArrayLike<number>;
  /** Highest probability any single photo gave per class (danger uses it); defaults to probs. */
  peak?: ArrayLike<number>;
  /** Catalog facts by label (null: the catalog does not know it). Absent when the catalog was not reached. */
  catalog?: ReadonlyMap<string, CatalogTaxonFacts | null>;
}

export interface Annotated {
  candidates: Candidate[];
  genera: GenusInfo[];
}

function mergeLookalikes(
  table: readonly CandidateLookalike[],
  catalog: CatalogTaxonFacts["lookalikes"] | undefined,
): CandidateLookalike[] {
  const out = new Map<string, CandidateLookalike>();
  for (const l of [...table, ...(catalog ?? [])]) {
    const name = resolveTaxon(l.scientificName)?.name ?? l.scientificName;
    const prior = out.get(nameKey(name));
    out.set(nameKey(name), {
      scientificName: name,
      edibility: moreDangerous(prior?.edibility ?? "UNKNOWN", l.edibility),
      note: prior?.note ?? l.note ?? undefined,
    });
  }
  return [...out.values()];
}

/** One label -> one verdict candidate (probabilities filled in by the caller). */
export function annotateLabel(label: string, catalog?: CatalogTaxonFacts | null): Omit<Candidate, "probability"> {
  const taxon = resolveTaxon(label) ?? (catalog ? resolveTaxon(catalog.scientificName) : undefined);
  const name = taxon?.name ?? catalog?.scientificName ?? label;
  const entry = findEntry(name);
  const tableEdibility = entry?.edibility ?? "UNKNOWN";
  const edibility = moreDangerous(tableEdibility, catalog?.edibility ?? "UNKNOWN");
  const source = edibility === tableEdibility ? entry?.source.title : (catalog?.edibilitySource ?? undefined);
  return {
    scientificName: name,
    rank: taxon?.rank === "family" ? undefined : taxon?.rank,
    genus: taxon?.genus ?? null,
    edibility,
    ...(source && source !== "not established" ? { edibilitySource: source } : {}),
    lookalikes: mergeLookalikes(
      lookalikesOf(name).map((l) => ({ scientificName: l.scientificName, edibility: l.edibility, note: l.note })),
      catalog?.lookalikes,
    ),
  };
}

/** Every class of the distribution, annotated: warnings must see all of them, not only the displayed few. */
export function annotateDistribution(input: AnnotateInput): Annotated {
  const { labels, probs, peak = probs, catalog } = input;
  if (labels.length !== probs.length || peak.length !== probs.length) {
    throw new Error(`annotateDistribution: ${labels.length} labels, ${probs.length} probabilities, ${peak.length} peaks`);
  }
  const candidates: Candidate[] = labels.map((label, i) => {
    const a = annotateLabel(label, catalog?.get(label));
    const p = probs[i]!;
    const d = peak[i]!;
    return { ...a, probability: p, ...(d > p ? { dangerProbability: d } : {}) };
  });
  const genera = new Map<string, GenusInfo>();
  for (const c of candidates) {
    if (!c.genus || genera.has(c.genus)) continue;
    const f = genusFact(c.genus);
    genera.set(c.genus, { genus: c.genus, worst: f?.worst ?? "UNKNOWN", ...(f ? { fact: f.fact, source: f.source.title } : {}) });
  }
  return { candidates, genera: [...genera.values()] };
}

/** Annotate named candidates (tests and tools): same rules, probabilities given by name. */
export function annotateCandidates(list: readonly { scientificName: string; probability: number }[]): Candidate[] {
  return list.map((c) => ({ ...annotateLabel(c.scientificName), probability: c.probability }));
}
