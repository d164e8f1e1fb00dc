import { z } from "zod";
import { RANKS } from "./types.ts";

const citation = z.object({ title: z.string().min(3), url: z.url() });

/** "Genus", "Genus species", "Genus sect. Name", "Genus species group" (hyphenated epithets allowed). */
export const TAXON_NAME = /^[A-Z][a-z]+( (sect\. [A-Z][a-z]+|[a-z][a-z-]+( group)?))?$/;
export const FAMILY_NAME = /^[A-Z][a-z]+aceae$/;

export const taxonSchema = z
  .object({
    name: z.string().regex(TAXON_NAME, "expected a scientific name"),
    rank: z.enum(RANKS),
    genus: z.string().regex(/^[A-Z][a-z]+$/).nullable(),
    family: z.string().regex(FAMILY_NAME, "expected a family name ending in -aceae").nullable(),
    synonyms: z.array(z.string().regex(TAXON_NAME, "expected a scientific name")),
    commonNames: z.array(z.string().min(2).max(80)),
    source: citation.optional(),
  })
  .refine((t) => t.rank === "family" || (t.genus !== null && t.name.split(" ")[0] === t.genus), {
    message: "a taxon's name must start with its genus",
  })
  .refine((t) => (t.rank === "species") === /^[A-Z][a-z]+ [a-z][a-z-]+$/.test(t.name), {
    message: "rank species iff the name is a binomial",
  })
  .refine((t) => (t.rank === "genus") === !t.name.includes(" "), { message: "rank genus iff the name is one word" });

export const taxaSchema = z.array(taxonSchema).min(1);

export const folderLabelSchema = z.object({
  folder: z.string().min(1),
  label: z.string().min(1),
  taxon: z.string().regex(TAXON_NAME),
  source: citation,
});
export const folderLabelsSchema = z.array(folderLabelSchema);
