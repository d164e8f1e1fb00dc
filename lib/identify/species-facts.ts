// What the result view needs to know about each candidate label, from the catalog.
import { z } from "zod";
import type { Catalog } from "../catalog/client";
import { normalizeScientificName } from "../catalog/names";
import type { EdibilityValue } from "../catalog/types";

export type CandidateFacts = {
  label: string;
  /** null when the label is not a species in the catalog (e.g. a generic class of another model). */
  species: {
    slug: string;
    scientificName: string;
    commonName: string | null;
    edibility: EdibilityValue;
    edibilitySource: string | null;
    edibilityNote: string | null;
    photos: string[];
    lookalikes: { scientificName: string; slug: string; edibility: EdibilityValue; note: string | null }[];
  } | null;
};

export const lookupRequest = z.object({ labels: z.array(z.string().min(1).max(200)).min(1).max(20) });

export async function factsForLabels(db: Catalog, labels: readonly string[]): Promise<CandidateFacts[]> {
  const names = labels.map((l) => {
    try {
      return normalizeScientificName(l);
    } catch {
      return "";
    }
  });
  const rows = await db.species.findMany({
    where: { scientificName: { in: names.filter(Boolean) } },
    include: {
      commonNames: { orderBy: { id: "asc" }, take: 1 },
      photos: { where: { status: "APPROVED" }, orderBy: { id: "asc" }, take: 3, select: { contentHash: true } },
      lookalikes: { include: { to: { select: { scientificName: true, slug: true, edibility: true } } } },
      lookalikeOf: { include: { from: { select: { scientificName: true, slug: true, edibility: true } } } },
    },
  });
  const byName = new Map(rows.map((r) => [r.scientificName, r]));
  return labels.map((label, i) => {
    const r = byName.get(names[i]);
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
