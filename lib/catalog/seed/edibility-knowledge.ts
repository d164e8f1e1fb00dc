// Applies lib/edibility's sourced knowledge table to the catalog: edibility with its source for every
// species it covers (adding the dangerous species mushroom.world lacks), and lookalike links.
import type { Catalog } from "../client";
import { linkLookalike, upsertSource, upsertSpecies } from "../ingest";
import { knowledgeTable } from "../../edibility/index.ts";
import { NOT_ESTABLISHED } from "../../edibility/types.ts";

export const KNOWLEDGE_SOURCE = {
  key: "edibility-knowledge",
  name: "Edibility knowledge table (lib/edibility)",
  licence: "Facts with per-species citations",
};

export async function applyEdibilityKnowledge(db: Catalog): Promise<{ species: number; lookalikes: number }> {
  const sourceId = await upsertSource(db, KNOWLEDGE_SOURCE);
  const table = knowledgeTable();
  for (const e of table) {
    const established = e.source.title !== NOT_ESTABLISHED;
    await upsertSpecies(
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
  }
  let links = 0;
  for (const e of table)
    for (const l of e.lookalikes)
      if (!l.external && (await linkLookalike(db, e.scientificName, l.scientificName, l.note, e.source.title))) links++;
  return { species: table.length, lookalikes: links };
}
