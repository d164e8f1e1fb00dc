/**
 * The taxonomy: one row per taxon (species, species group, section, genus) with its accepted name, its rank, its
 * genus and family, and every other name it is searched by. Pure data and types, shared by the site, the seed,
 * the training pipeline and the browser's verdict (which resolves model labels through it).
 */
export const RANKS = ["species", "group", "section", "genus", "family"] as const;
export type Rank = (typeof RANKS)[number];

/** Larger is higher in the tree (iNaturalist-style rank levels). */
export const RANK_LEVEL: Record<Rank, number> = { species: 10, group: 15, section: 20, genus: 30, family: 40 };

export interface Citation {
  /** What the page is ("Imleria badia - First Nature"). */
  title: string;
  url: string;
}

export interface Taxon {
  /** Accepted scientific name: "Imleria badia", "Trametes", "Amanita sect. Caesareae", "Pluteus cervinus group". */
  name: string;
  rank: Rank;
  /** Genus of the taxon (itself for a genus); null only for a family. */
  genus: string | null;
  family: string | null;
  /** Older or alternative scientific names that resolve to this taxon. */
  synonyms: string[];
  /** English common names, lower case except proper nouns. */
  commonNames: string[];
  /** Where the accepted name (and family) was checked; absent for genus rows derived from their species. */
  source?: Citation;
}

/** How one label of one photo folder maps to a taxon, and who says so. */
export interface FolderLabel {
  /** Photo folder under DATA_DIR ("kaggle-215-sample"). */
  folder: string;
  /** The folder's own label, exactly as its subfolder is named. */
  label: string;
  /** Accepted name of the taxon (a row of taxa.json). */
  taxon: string;
  source: Citation;
}
