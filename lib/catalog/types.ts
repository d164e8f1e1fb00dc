// The catalog's own shapes for data coming in from any source (seed, scrapers, uploads).
import { z } from "zod";

export const EDIBILITY = ["CHOICE", "EDIBLE", "INEDIBLE", "POISONOUS", "DEADLY", "PSYCHOACTIVE", "UNKNOWN"] as const;
export type EdibilityValue = (typeof EDIBILITY)[number];

export const TAXON_RANKS = ["SPECIES", "GROUP", "SECTION", "GENUS"] as const;
export type TaxonRankValue = (typeof TAXON_RANKS)[number];

export const speciesInput = z.object({
  scientificName: z.string().min(3).max(200),
  /** Defaults to the taxonomy's rank for the name, else SPECIES. */
  rank: z.enum(TAXON_RANKS).optional(),
  /** Other scientific names of the taxon (the accepted name resolves through lib/taxonomy first). */
  synonyms: z.array(z.string().min(3).max(200)).default([]),
  commonNames: z.array(z.string().min(1).max(200)).default([]),
  family: z.string().max(200).optional(),
  location: z.string().max(2000).optional(),
  dimensions: z.string().max(2000).optional(),
  description: z.string().max(50_000).optional(),
  edibility: z.enum(EDIBILITY).optional(),
  edibilitySource: z.string().max(500).optional(),
  edibilitySourceUrl: z.string().url().max(1000).optional(),
  edibilityNote: z.string().max(2000).optional(),
});
export type SpeciesInput = z.input<typeof speciesInput>;

export type SourceInput = { key: string; name: string; homepage?: string; licence: string };
