// The taxonomy as lookups: every accepted name and synonym resolves to one taxon; genus rows exist for every
// genus (listed, or derived from their species) so that a genus answer is a walk up, never a string split.
import rawTaxa from "./taxa.json" with { type: "json" };
import rawLabels from "./labels.json" with { type: "json" };
import { nameKey, stripSp } from "./names.ts";
import { folderLabelsSchema, taxaSchema } from "./schema.ts";
import type { FolderLabel, Taxon } from "./types.ts";

export type { Citation, FolderLabel, Rank, Taxon } from "./types.ts";
export { RANKS, RANK_LEVEL } from "./types.ts";
export { nameKey } from "./names.ts";

type Index = {
  all: readonly Taxon[];
  byName: ReadonlyMap<string, Taxon>;
  byCommon: ReadonlyMap<string, Taxon>;
  byGenus: ReadonlyMap<string, readonly Taxon[]>;
  labels: ReadonlyMap<string, FolderLabel>;
};

const labelKey = (folder: string, label: string) => `${folder}\u0000${nameKey(label)}`;

/** Build the lookups; throws on any name that would resolve to two taxa. Exported for tests of bad tables. */
export function buildTaxonomy(taxaIn: unknown, labelsIn: unknown = []): Index {
  const listed = taxaSchema.parse(taxaIn) as Taxon[];
  const all: Taxon[] = [...listed];
  // Genus rows for genera that only appear through their members; family is kept only when members agree.
  const listedNames = new Set(listed.map((t) => nameKey(t.name)));
  const derived = new Map<string, Set<string | null>>();
  for (const t of listed) {
    if (t.rank === "genus" || !t.genus || listedNames.has(nameKey(t.genus))) continue;
    const fams = derived.get(t.genus) ?? new Set();
    fams.add(t.family);
    derived.set(t.genus, fams);
  }
  for (const [genus, fams] of derived) {
    all.push({ name: genus, rank: "genus", genus, family: fams.size === 1 ? [...fams][0]! : null, synonyms: [], commonNames: [] });
  }
  const byName = new Map<string, Taxon>();
  const add = (name: string, t: Taxon) => {
    const key = nameKey(name);
    const prior = byName.get(key);
    if (prior && prior !== t) throw new Error(`taxonomy: "${name}" names both ${prior.name} and ${t.name}`);
    byName.set(key, t);
  };
  for (const t of all) add(t.name, t);
  for (const t of all) for (const s of t.synonyms) add(s, t);
  const byCommon = new Map<string, Taxon>();
  for (const t of all) for (const c of t.commonNames) if (!byCommon.has(nameKey(c))) byCommon.set(nameKey(c), t);
  const byGenus = new Map<string, Taxon[]>();
  for (const t of all) {
    if (!t.genus || t.rank === "genus") continue;
    const list = byGenus.get(t.genus) ?? [];
    list.push(t);
    byGenus.set(t.genus, list);
  }
  const labels = new Map<string, FolderLabel>();
  for (const l of folderLabelsSchema.parse(labelsIn)) {
    if (!byName.has(nameKey(l.taxon))) throw new Error(`taxonomy: label ${l.folder}/${l.label} maps to ${l.taxon}, which is not a taxon`);
    labels.set(labelKey(l.folder, l.label), l);
  }
  return { all, byName, byCommon, byGenus, labels };
}

const INDEX = buildTaxonomy(rawTaxa, rawLabels);

/** Every taxon, listed ones first, then derived genus rows. */
export function allTaxa(): readonly Taxon[] {
  return INDEX.all;
}

/** The taxon an accepted name, synonym or "Genus sp." names; undefined for names the taxonomy lacks. */
export function resolveTaxon(name: string): Taxon | undefined {
  return INDEX.byName.get(nameKey(name)) ?? INDEX.byName.get(nameKey(stripSp(name)));
}

/** The taxon an English common name names ("bay bolete"); first listed wins. */
export function resolveCommonName(name: string): Taxon | undefined {
  return INDEX.byCommon.get(nameKey(name));
}

/** A scientific name, synonym or common name. */
export function resolveAnyName(name: string): Taxon | undefined {
  return resolveTaxon(name) ?? resolveCommonName(name);
}

/** The cited mapping of a photo folder's label, when the table lists it. */
export function folderLabel(folder: string, label: string): FolderLabel | undefined {
  return INDEX.labels.get(labelKey(folder, label));
}

export function folderLabels(): FolderLabel[] {
  return [...INDEX.labels.values()];
}

/** The genus row of a taxon (itself for a genus). */
export function genusOf(t: Taxon): Taxon | undefined {
  return t.genus ? INDEX.byName.get(nameKey(t.genus)) : undefined;
}

/** Species, groups and sections of a genus. */
export function membersOf(genus: string): readonly Taxon[] {
  return INDEX.byGenus.get(genus) ?? [];
}

/** Accepted name for any scientific name the taxonomy knows, else the name itself, tidied. */
export function acceptedName(name: string): string {
  return resolveTaxon(name)?.name ?? name.trim().replace(/[_\s]+/g, " ");
}
