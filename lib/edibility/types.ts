/**
 * Edibility classes, matching the catalog's Prisma enum value for value.
 * Defined here (not imported from the Prisma client) so this module stays pure.
 */
export const EDIBILITY_VALUES = [
  "CHOICE",
  "EDIBLE",
  "INEDIBLE",
  "POISONOUS",
  "DEADLY",
  "PSYCHOACTIVE",
  "UNKNOWN",
] as const;

export type Edibility = (typeof EDIBILITY_VALUES)[number];

/** Classes that must trigger a danger warning whenever they are plausible. */
export const DANGEROUS: ReadonlySet<Edibility> = new Set<Edibility>(["POISONOUS", "DEADLY"]);

/** Classes a named source lists as eaten; never means "safe" on its own. */
export const LISTED_EDIBLE: ReadonlySet<Edibility> = new Set<Edibility>(["CHOICE", "EDIBLE"]);

/** Title used when no consulted source established the value. */
export const NOT_ESTABLISHED = "not established";

export interface Source {
  /** Short citation: page or book title (or "not established"). */
  title: string;
  /** Address of the page that was read; absent only for "not established". */
  url?: string;
}

export interface Lookalike {
  /** "Genus species" of the species it is confused with. */
  scientificName: string;
  /** Why they are confused / how they differ. */
  note: string;
  /** True when the lookalike is deliberately not in the table (the note says why). */
  external?: boolean;
}

export interface KnowledgeEntry {
  /** Proper "Genus species" form. */
  scientificName: string;
  commonName?: string;
  edibility: Edibility;
  source: Source;
  note?: string;
  lookalikes: Lookalike[];
  /** Other names the species is known under (older genera etc.). */
  synonyms: string[];
  /** Present in the mushroom.world 2023 crawl (shared/data/mushroom-world-2023). */
  inMushroomWorld: boolean;
}
