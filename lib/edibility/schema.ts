import { z } from "zod";
import { TAXON_NAME } from "../taxonomy/schema.ts";
import { EDIBILITY_VALUES, NOT_ESTABLISHED, SEVERITY, moreDangerous, type Edibility } from "./types.ts";

const binomial = z.string().regex(/^[A-Z][a-z]+ [a-z][a-z-]+$/, "expected 'Genus species'");
const known = z.enum(EDIBILITY_VALUES).exclude(["UNKNOWN"]);

export const lookalikeSchema = z.object({
  scientificName: binomial,
  note: z.string().min(3),
  external: z.boolean().optional(),
});

export const claimSchema = z.object({ edibility: known, title: z.string().min(3), url: z.url() });

export const entrySchema = z
  .object({
    scientificName: z.string().regex(TAXON_NAME, "expected a taxon name"),
    commonName: z.string().min(1).optional(),
    edibility: z.enum(EDIBILITY_VALUES),
    source: z.object({ title: z.string().min(3), url: z.url().optional() }),
    note: z.string().min(3).optional(),
    lookalikes: z.array(lookalikeSchema),
    claims: z.array(claimSchema).optional(),
    inMushroomWorld: z.boolean(),
  })
  // Without a consulted source the only allowed value is UNKNOWN: never guess.
  .refine((e) => e.source.title !== NOT_ESTABLISHED || e.edibility === "UNKNOWN", {
    message: "an entry without an established source must be UNKNOWN",
  })
  .refine((e) => e.source.title === NOT_ESTABLISHED || e.source.url !== undefined, {
    message: "a cited source needs the URL that was read",
  })
  // The entry's class is the most dangerous any of its sources gives: no claim may be more severe.
  .refine((e) => (e.claims ?? []).every((c) => moreDangerous(e.edibility, c.edibility) === e.edibility), {
    message: "a claim is more dangerous than the entry's class (the more dangerous class must win)",
  });

export const tableSchema = z.array(entrySchema).min(1);

export const genusFactSchema = z.object({
  genus: z.string().regex(/^[A-Z][a-z]+$/),
  worst: known,
  fact: z.string().min(10),
  members: z.array(z.string()),
  source: z.object({ title: z.string().min(3), url: z.url() }),
});
export const genusFactsSchema = z.array(genusFactSchema);

export const severityOf = (e: Edibility): number => (e === "UNKNOWN" ? -1 : SEVERITY[e]);
