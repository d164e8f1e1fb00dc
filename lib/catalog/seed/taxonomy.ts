// Applies lib/taxonomy to the catalog: every taxon (species, groups, sections, genera) with its rank, family,
// synonyms and common names, and each taxon hung under its genus row.
import type { Catalog } from "../client";
import { upsertSource, upsertSpecies } from "../ingest";
import { allTaxa, RANK_LEVEL } from "../../taxonomy/index.ts";

export const TAXONOMY_SOURCE = {
  key: "taxonomy",
  name: "Taxonomy table (lib/taxonomy)",
  licence: "Names with per-taxon citations",
};

const RANK = { species: "SPECIES", group: "GROUP", section: "SECTION", genus: "GENUS" } as const;

export async function applyTaxonomy(db: Catalog): Promise<{ taxa: number }> {
  const sourceId = await upsertSource(db, TAXONOMY_SOURCE);
  // Genera first so that species find their parent row with its family.
  const taxa = [...allTaxa()].filter((t) => t.rank !== "family").sort((a, b) => RANK_LEVEL[b.rank] - RANK_LEVEL[a.rank]);
  for (const t of taxa) {
    await upsertSpecies(
      db,
      {
        scientificName: t.name,
        rank: RANK[t.rank as keyof typeof RANK],
        family: t.family ?? undefined,
        synonyms: t.synonyms,
        commonNames: t.commonNames,
      },
      t.source ? { sourceId, sourceUrl: t.source.url } : undefined,
    );
  }
  return { taxa: taxa.length };
}
