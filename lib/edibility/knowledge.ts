// The sourced edibility table, keyed by accepted taxon name. Every lookup resolves the name through lib/taxonomy
// first, so a synonym ("Galerina autumnalis"), an older genus or "Genus sp." reaches the same entry.
import raw from "./knowledge.json" with { type: "json" };
import rawGenus from "./genus-facts.json" with { type: "json" };
import { resolveTaxon } from "../taxonomy/index.ts";
import { nameKey } from "../taxonomy/names.ts";
import { genusFactsSchema, tableSchema } from "./schema.ts";
import type { Edibility, GenusFact, KnowledgeEntry, Lookalike } from "./types.ts";

/** Validated once at import: a malformed table must fail loudly, not serve bad data. */
const TABLE: readonly KnowledgeEntry[] = Object.freeze(tableSchema.parse(raw));
const GENUS_FACTS: readonly GenusFact[] = Object.freeze(genusFactsSchema.parse(rawGenus));

const BY_KEY: ReadonlyMap<string, KnowledgeEntry> = buildIndex(TABLE);
const GENUS_BY_KEY: ReadonlyMap<string, GenusFact> = new Map(GENUS_FACTS.map((g) => [nameKey(g.genus), g]));

function buildIndex(table: readonly KnowledgeEntry[]): Map<string, KnowledgeEntry> {
  const index = new Map<string, KnowledgeEntry>();
  for (const entry of table) {
    const taxon = resolveTaxon(entry.scientificName);
    if (!taxon) throw new Error(`edibility table: ${entry.scientificName} is not a taxon in lib/taxonomy`);
    if (taxon.name !== entry.scientificName) {
      throw new Error(`edibility table: ${entry.scientificName} is a synonym; key the entry by ${taxon.name}`);
    }
    const key = nameKey(entry.scientificName);
    if (index.has(key)) throw new Error(`edibility table: ${entry.scientificName} is listed twice`);
    index.set(key, entry);
  }
  return index;
}

/** Every entry, in table order (read-only). */
export function knowledgeTable(): readonly KnowledgeEntry[] {
  return TABLE;
}

/** The entry for any name the taxonomy resolves (accepted, synonym, "Genus sp."), in any case and with "_" or " ". */
export function findEntry(scientificName: string): KnowledgeEntry | undefined {
  const taxon = resolveTaxon(scientificName);
  return BY_KEY.get(nameKey(taxon?.name ?? scientificName));
}

/** Edibility for a name; taxa not in the table are UNKNOWN (never assumed edible). */
export function edibilityOf(scientificName: string): Edibility {
  return findEntry(scientificName)?.edibility ?? "UNKNOWN";
}

/** Genus-level danger facts for a genus name or any member's name. */
export function genusFact(name: string): GenusFact | undefined {
  const genus = resolveTaxon(name)?.genus ?? name.trim().split(/[\s_]+/)[0] ?? "";
  return GENUS_BY_KEY.get(nameKey(genus));
}

export function genusFacts(): readonly GenusFact[] {
  return GENUS_FACTS;
}

export interface ResolvedLookalike extends Lookalike {
  /** Edibility of the lookalike; UNKNOWN when it is external to the table. */
  edibility: Edibility;
  /** "declared" on this entry, or "reverse" (another entry lists this one). */
  via: "declared" | "reverse";
}

/** Who declares whom: target entry -> [(declaring entry, its note)], built once. */
let reverse: Map<KnowledgeEntry, { from: KnowledgeEntry; note: string }[]> | undefined;
function reverseLinks(): Map<KnowledgeEntry, { from: KnowledgeEntry; note: string }[]> {
  if (reverse) return reverse;
  reverse = new Map();
  for (const from of TABLE) {
    for (const l of from.lookalikes) {
      const to = findEntry(l.scientificName);
      if (!to || to === from) continue;
      const list = reverse.get(to) ?? [];
      list.push({ from, note: l.note });
      reverse.set(to, list);
    }
  }
  return reverse;
}

/**
 * Lookalikes in both directions: those the entry declares, plus every entry that
 * declares this one (Death cap lists Agaricus, so Agaricus also shows Death cap).
 */
export function lookalikesOf(scientificName: string): ResolvedLookalike[] {
  const entry = findEntry(scientificName);
  if (!entry) return [];
  const out = new Map<string, ResolvedLookalike>();
  for (const l of entry.lookalikes) {
    const target = findEntry(l.scientificName);
    out.set(nameKey(target?.scientificName ?? l.scientificName), {
      ...l,
      scientificName: target?.scientificName ?? l.scientificName,
      edibility: target?.edibility ?? "UNKNOWN",
      via: "declared",
    });
  }
  for (const { from, note } of reverseLinks().get(entry) ?? []) {
    const key = nameKey(from.scientificName);
    if (!out.has(key)) out.set(key, { scientificName: from.scientificName, note, edibility: from.edibility, via: "reverse" });
  }
  return [...out.values()];
}
