// The 2023 mushroom.world records (../shared/data/mushroom-world-2023) as catalog species inputs.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { z } from "zod";
import type { SourceInput, SpeciesInput } from "../types";

export const MUSHROOM_WORLD_SOURCE: SourceInput = {
  key: "mushroom-world",
  name: "mushroom.world",
  homepage: "https://www.mushroom.world",
  licence: "Text and photos © mushroom.world; used with attribution for identification reference",
};

const row = z.object({
  Common_Name: z.string(),
  Family: z.string(),
  Location: z.string(),
  Dimensions: z.string(),
  Description: z.string(),
  Scientific_Name: z.string().min(3),
});

/** The crawl mis-decoded "µ" (UTF-8 C2 B5 read as GBK) into "碌"; other stray characters are left alone. */
export function cleanText(s: string): string {
  return s.replace(/碌/g, "µ").replace(/\r\n/g, "\n").trim();
}

const blankToUndefined = (s: string) => (s.trim() ? cleanText(s) : undefined);

export function parseMushroomWorldInfo(csv: string): SpeciesInput[] {
  const rows: unknown[] = parse(csv, { columns: true, skip_empty_lines: true, relax_quotes: false });
  return rows.map((r, i) => {
    const parsed = row.safeParse(r);
    if (!parsed.success) throw new Error(`mushroom_info.csv row ${i + 2}: ${parsed.error.issues[0].message}`);
    const x = parsed.data;
    return {
      scientificName: x.Scientific_Name,
      commonNames: x.Common_Name.trim() ? [x.Common_Name] : [],
      family: blankToUndefined(x.Family),
      location: blankToUndefined(x.Location),
      dimensions: blankToUndefined(x.Dimensions),
      description: blankToUndefined(x.Description),
    };
  });
}

/** Page URL of a species on mushroom.world ("Agaricus arvensis" -> /show?n=Agaricus-arvensis). */
export function mushroomWorldPageUrl(scientificName: string, base = "https://www.mushroom.world"): string {
  return `${base}/show?n=${scientificName.trim().replace(/\s+/g, "-")}`;
}

export async function readMushroomWorld2023(dataDir: string): Promise<SpeciesInput[]> {
  const file = path.join(dataDir, "mushroom-world-2023", "mushroom_info.csv");
  return parseMushroomWorldInfo(await readFile(file, "utf8"));
}
