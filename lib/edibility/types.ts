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

/**
 * Severity for "the more dangerous class wins": a source may raise a species' class, never lower it. UNKNOWN has
 * no rank: it never replaces a cited class, and any cited class replaces it.
 */
export const SEVERITY: Readonly<Record<Exclude<Edibility, "UNKNOWN">, number>> = {
  CHOICE: 0,
  EDIBLE: 1,
  INEDIBLE: 2,
  PSYCHOACTIVE: 3,
  POISONOUS: 4,
  DEADLY: 5,
};

/** The more dangerous of two classes (UNKNOWN only when both are). */
export function moreDangerous(a: Edibility, b: Edibility): Edibility {
  if (a === "UNKNOWN") return b;
  if (b === "UNKNOWN") return a;
  return SEVERITY[b] > SEVERITY[a] ? b : a;
}

/** Title used when no consulted source established the value. */
export const NOT_ESTABLISHED = "not established";

export interface Source {
  /** Short citation: page or book title (or "not established"). */
  title: string;
  /** Address of the page that was read; absent only for "not established". */
  url?: string;
}

export interface Lookalike {
  /** Accepted "Genus species" of the species it is confused with. */
  scientificName: string;
  /** Why they are confused / how they differ. */
  note: string;
  /** True when the lookalike is deliberately not in the table (the note says why). */
  external?: boolean;
}

/** A further source's class for the same taxon (the entry's class is the most dangerous of all). */
export interface Claim {
  edibility: Exclude<Edibility, "UNKNOWN">;
  title: string;
  url: string;
}

export interface KnowledgeEntry {
  /** Accepted name of a taxon in lib/taxonomy ("Genus species", or a genus, section or group). */
  scientificName: string;
  commonName?: string;
  edibility: Edibility;
  source: Source;
  note?: string;
  lookalikes: Lookalike[];
  /** Other sources that rate this taxon; where they disagree the entry carries the more dangerous class. */
  claims?: Claim[];
  /** Present in the mushroom.world 2023 crawl (shared/data/mushroom-world-2023). */
  inMushroomWorld: boolean;
}

/** A genus-level fact that saves lives ("Amanita: includes deadly species"), with the worst class a member has. */
export interface GenusFact {
  genus: string;
  worst: Exclude<Edibility, "UNKNOWN">;
  fact: string;
  members: string[];
  source: Source & { url: string };
}
