import { z } from "zod";
import { EDIBILITY_VALUES, NOT_ESTABLISHED } from "./types.ts";

const binomial = z.string().regex(/^[A-Z][a-z]+ [a-z][a-z-]+$/, "expected 'Genus species'");

export const lookalikeSchema = z.object({
  scientificName: binomial,
  note: z.string().min(3),
  external: z.boolean().optional(),
});

export const entrySchema = z
  .object({
    scientificName: binomial,
    commonName: z.string().min(1).optional(),
    edibility: z.enum(EDIBILITY_VALUES),
    source: z.object({ title: z.string().min(3), url: z.url().optional() }),
    note: z.string().min(3).optional(),
    lookalikes: z.array(lookalikeSchema),
    synonyms: z.array(binomial),
    inMushroomWorld: z.boolean(),
  })
  // Without a consulted source the only allowed value is UNKNOWN: never guess.
  .refine((e) => e.source.title !== NOT_ESTABLISHED || e.edibility === "UNKNOWN", {
    message: "an entry without an established source must be UNKNOWN",
  })
  .refine((e) => e.source.title === NOT_ESTABLISHED || e.source.url !== undefined, {
    message: "a cited source needs the URL that was read",
  });

export const tableSchema = z.array(entrySchema).min(1);
