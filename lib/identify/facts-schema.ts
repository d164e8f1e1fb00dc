// The /api/species/facts answer as the browser checks it: a malformed answer counts as no answer (the bundled
// tables are used and the page says the full check did not run), never as "no danger".
import { z } from "zod";
import { EDIBILITY } from "../catalog/types";
import type { CandidateFacts } from "./species-facts";

const edibility = z.enum(EDIBILITY);
const speciesFacts = z.object({
  slug: z.string(),
  scientificName: z.string(),
  rank: z.enum(["species", "group", "section", "genus"]),
  commonName: z.string().nullable(),
  edibility,
  edibilitySource: z.string().nullable(),
  edibilityNote: z.string().nullable(),
  photos: z.array(z.string().regex(/^[0-9a-f]{64}$/)),
  lookalikes: z.array(z.object({ scientificName: z.string(), slug: z.string(), edibility, note: z.string().nullable() })),
});
export const factsResponse = z.array(z.object({ label: z.string(), species: speciesFacts.nullable() }));

export function parseFactsResponse(body: unknown): CandidateFacts[] | null {
  const r = factsResponse.safeParse(body);
  return r.success ? r.data : null;
}
