import raw from "./knowledge.json" with { type: "json" };
import { nameKey } from "./normalize.ts";
import { tableSchema } from "./schema.ts";
import type { Edibility, KnowledgeEntry, Lookalike } from "./types.ts";

/** Validated once at import: a malformed table must fail loudly, not serve bad data. */
const TABLE: readonly KnowledgeEntry[] = Object.freeze(tableSchema.parse(raw));

const BY_KEY: ReadonlyMap<string, KnowledgeEntry> = buildIndex(TABLE);

function buildIndex(table: readonly KnowledgeEntry[]): Map<string, KnowledgeEntry> {
  const index = new Map<string, KnowledgeEntry>();
  const add = (name: string, entry: KnowledgeEntry): void => {
    const key = nameKey(name);
    const prior = index.get(key);
    if (prior && prior !== entry) {
      throw new Error(`edibility table: "${name}" names both ${prior.scientificName} and ${entry.scientificName}`);
    }
    index.set(key, entry);
  };
  for (const entry of table) add(entry.scientificName, entry);
  for (const entry of table) for (const syn of entry.synonyms) add(syn, entry);
  return index;
}

/** Every entry, in table order (read-only). */
export function knowledgeTable(): readonly KnowledgeEntry[] {
  return TABLE;
}

/** The entry for a name or listed synonym, in any case and with "_" or " ". */
export function findEntry(scientificName: string): KnowledgeEntry | undefined {
  return BY_KEY.get(nameKey(scientificName));
}

/** Edibility for a name; species not in the table are UNKNOWN (never assumed edible). */
export function edibilityOf(scientificName: string): Edibility {
  return findEntry(scientificName)?.edibility ?? "UNKNOWN";
}

export interface ResolvedLookalike extends Lookalike {
  /** Edibility of the lookalike; UNKNOWN when it is external to the table. */
  edibility: Edibility;
  /** "declared" on this entry, or "reverse" (another entry lists this one). */
  via: "declared" | "reverse";
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
  for (const other of TABLE) {
    if (other === entry) continue;
    const link = other.lookalikes.find((l) => findEntry(l.scientificName) === entry);
    const key = nameKey(other.scientificName);
    if (link && !out.has(key)) {
      out.set(key, { scientificName: other.scientificName, note: link.note, edibility: other.edibility, via: "reverse" });
    }
  }
  return [...out.values()];
}
