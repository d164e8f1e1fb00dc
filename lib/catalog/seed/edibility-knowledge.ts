// Applies lib/edibility's sourced tables to the catalog: one claim per cited source for every taxon the table
// covers (the taxon's class is the most dangerous claim), genus danger facts as claims on genus rows, and
// lookalike links.
import type { Catalog } from "../client";
import { ensureGenus, linkLookalike, recordEdibilityClaim, upsertSource, upsertSpecies } from "../ingest";
import { genusFacts, knowledgeTable } from "../../edibility/index.ts";
import { NOT_ESTABLISHED } from "../../edibility/types.ts";

export const KNOWLEDGE_SOURCE = {
  key: "edibility-knowledge",
  name: "Edibility knowledge table (lib/edibility)",
  licence: "Facts with per-species citations",
};
export const GENUS_FACTS_KEY = "genus-facts";

export async function applyEdibilityKnowledge(db: Catalog): Promise<{ species: number; lookalikes: number; genera: number }> {
  const sourceId = await upsertSource(db, KNOWLEDGE_SOURCE);
  const table = knowledgeTable();
  for (const e of table) {
    const established = e.source.title !== NOT_ESTABLISHED;
    const row = await upsertSpecies(
      db,
      {
        scientificName: e.scientificName,
        commonNames: e.commonName ? [e.commonName] : [],
        edibility: e.edibility,
        edibilitySource: established ? e.source.title : undefined,
        edibilitySourceUrl: established ? e.source.url : undefined,
        edibilityNote: e.note,
      },
      { sourceId, sourceUrl: e.source.url },
    );
    for (const c of e.claims ?? []) {
      await recordEdibilityClaim(db, row.id, { sourceKey: KNOWLEDGE_SOURCE.key, title: c.title, url: c.url, edibility: c.edibility });
    }
  }
  for (const g of genusFacts()) {
    const id = await ensureGenus(db, g.genus);
    await recordEdibilityClaim(db, id, { sourceKey: GENUS_FACTS_KEY, title: g.source.title, url: g.source.url, edibility: g.worst });
  }
  let links = 0;
  for (const e of table)
    for (const l of e.lookalikes)
      if (!l.external && (await linkLookalike(db, e.scientificName, l.scientificName, l.note, e.source.title))) links++;
  return { species: table.length, lookalikes: links, genera: genusFacts().length };
}
