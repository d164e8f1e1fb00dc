// What the result view needs to know about each candidate label, from the catalog.
import { z } from "zod";
import type { Catalog } from "../catalog/client";
import { canonicalTaxon } from "../catalog/ingest";
import type { EdibilityValue } from "../catalog/types";
import type { Rank } from "../taxonomy/index.ts";
import { MAX_FACT_LABELS } from "./result";

export type SpeciesFacts = {
  slug: string;
  scientificName: string;
  rank: Exclude<Rank, "family">;
  commonName: string | null;
  edibility: EdibilityValue;
  edibilitySource: string | null;
  edibilityNote: string | null;
  photos: string[];
  lookalikes: { scientificName: string; slug: string; edibility: EdibilityValue; note: string | null }[];
};

export type CandidateFacts = {
  label: string;
  /** null when the label is not a taxon in the catalog (e.g. a generic class of another model). */
  species: SpeciesFacts | null;
};

export const lookupRequest = z.object({ labels: z.array(z.string().min(1).max(200)).min(1).max(MAX_FACT_LABELS) });

const RANK = { SPECIES: "species", GROUP: "group", SECTION: "section", GENUS: "genus" } as const;

/** Catalog facts per label; a label resolves through the taxonomy, then through the catalog's synonyms. */
export async function factsForLabels(db: Catalog, labels: readonly string[]): Promise<CandidateFacts[]> {
  const names = labels.map((l) => {
    try {
      return canonicalTaxon(l).scientificName;
    } catch {
      return "";
    }
  });
  const wanted = [...new Set(names.filter(Boolean))];
  const synonyms = await db.synonym.findMany({ where: { name: { in: wanted } }, select: { name: true, species: { select: { scientificName: true } } } });
  const viaSynonym = new Map(synonyms.map((s) => [s.name, s.species.scientificName]));
  const accepted = names.map((n) => viaSynonym.get(n) ?? n);
  const rows = await db.species.findMany({
    where: { scientificName: { in: [...new Set(accepted.filter(Boolean))] } },
    include: {
      commonNames: { orderBy: { id: "asc" }, take: 1 },
      photos: { where: { status: "APPROVED" }, orderBy: { id: "asc" }, take: 3, select: { contentHash: true } },
      lookalikes: { include: { to: { select: { scientificName: true, slug: true, edibility: true } } } },
      lookalikeOf: { include: { from: { select: { scientificName: true, slug: true, edibility: true } } } },
    },
  });
  const byName = new Map(rows.map((r) => [r.scientificName, r]));
  return labels.map((label, i) => {
    const r = byName.get(accepted[i]!);
    if (!r) return { label, species: null };
    const lookalikes = [
      ...r.lookalikes.map((l) => ({ ...l.to, note: l.note })),
      ...r.lookalikeOf.map((l) => ({ ...l.from, note: l.note })),
    ].filter((l, j, all) => all.findIndex((o) => o.slug === l.slug) === j);
    return {
      label,
      species: {
        slug: r.slug,
        scientificName: r.scientificName,
        rank: RANK[r.rank],
        commonName: r.commonNames[0]?.name ?? null,
        edibility: r.edibility,
        edibilitySource: r.edibilitySource,
        edibilityNote: r.edibilityNote,
        photos: r.photos.map((p) => p.contentHash),
        lookalikes,
      },
    };
  });
}
