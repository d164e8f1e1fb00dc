// Read-side queries for the species pages. Inputs arrive untrusted from URLs and are validated here.
import { z } from "zod";
import type { Catalog } from "./client";
import { EDIBILITY, TAXON_RANKS, type EdibilityValue, type TaxonRankValue } from "./types";

export const PAGE_SIZE = 24;
const MAX_QUERY = 100;

const browseParams = z.object({
  q: z.string().optional().catch(undefined),
  family: z.string().max(200).optional().catch(undefined),
  genus: z.string().regex(/^[A-Z][a-z]{1,60}$/).optional().catch(undefined),
  rank: z.enum(TAXON_RANKS).optional().catch(undefined),
  edibility: z.enum(EDIBILITY).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(1_000_000).optional().catch(undefined),
});
export type BrowseQuery = { q?: string; family?: string; genus?: string; rank?: TaxonRankValue; edibility?: EdibilityValue; page: number };

/** Parse URL search params leniently: anything invalid is dropped rather than failing the page. */
export function parseBrowseQuery(params: Record<string, string | string[] | undefined>): BrowseQuery {
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const parsed = browseParams.parse({
    q: first(params.q),
    family: first(params.family),
    genus: first(params.genus),
    rank: first(params.rank)?.toUpperCase(),
    edibility: first(params.edibility),
    page: first(params.page),
  });
  // Names hold only letters, digits, spaces, apostrophes, dots and hyphens; anything else is dropped, which
  // also keeps LIKE wildcards (% and _) from reaching the database as patterns.
  const q = parsed.q
    ?.normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s'.-]/gu, "")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, MAX_QUERY);
  return {
    q: q || undefined,
    family: parsed.family || undefined,
    genus: parsed.genus,
    rank: parsed.rank,
    edibility: parsed.edibility,
    page: parsed.page ?? 1,
  };
}

export type SpeciesCard = {
  slug: string;
  scientificName: string;
  rank: TaxonRankValue;
  commonName: string | null;
  family: string | null;
  edibility: EdibilityValue;
  thumbHash: string | null;
};

export type BrowseResult = { items: SpeciesCard[]; total: number; page: number; pages: number };

export async function browseSpecies(db: Catalog, query: BrowseQuery): Promise<BrowseResult> {
  // Each word must match somewhere in the names, so "horse mushroom" and "arvensis agaricus" both work.
  const words = query.q?.split(" ").filter(Boolean) ?? [];
  const where = {
    AND: words.map((w) => ({ searchText: { contains: w } })),
    ...(query.family ? { family: query.family } : {}),
    ...(query.genus ? { genus: query.genus } : {}),
    ...(query.rank ? { rank: query.rank } : {}),
    ...(query.edibility ? { edibility: query.edibility } : {}),
  };
  const total = await db.species.count({ where });
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  if (query.page > pages) return { items: [], total, page: query.page, pages };
  const rows = await db.species.findMany({
    where,
    orderBy: { scientificName: "asc" },
    skip: (query.page - 1) * PAGE_SIZE,
    take: PAGE_SIZE,
    select: {
      slug: true,
      scientificName: true,
      rank: true,
      family: true,
      edibility: true,
      commonNames: { select: { name: true }, orderBy: { id: "asc" }, take: 1 },
      photos: { where: { status: "APPROVED" }, select: { contentHash: true }, orderBy: { id: "asc" }, take: 1 },
    },
  });
  // A genus without photos of its own shows one of a member's.
  const bare = rows.filter((r) => r.photos.length === 0 && r.rank === "GENUS").map((r) => r.scientificName);
  const memberPhotos = new Map<string, string>();
  if (bare.length) {
    const ph = await db.photo.findMany({
      where: { status: "APPROVED", species: { genus: { in: bare } } },
      select: { contentHash: true, species: { select: { genus: true } } },
      orderBy: { id: "asc" },
      take: 500,
    });
    for (const p of ph) if (!memberPhotos.has(p.species.genus)) memberPhotos.set(p.species.genus, p.contentHash);
  }
  return {
    items: rows.map((r) => ({
      slug: r.slug,
      scientificName: r.scientificName,
      rank: r.rank,
      commonName: r.commonNames[0]?.name ?? null,
      family: r.family,
      edibility: r.edibility,
      thumbHash: r.photos[0]?.contentHash ?? memberPhotos.get(r.scientificName) ?? null,
    })),
    total,
    page: query.page,
    pages,
  };
}

/** Families with their number of species-rank taxa. */
export async function listFamilies(db: Catalog): Promise<{ family: string; count: number }[]> {
  const groups = await db.species.groupBy({ by: ["family"], where: { rank: "SPECIES" }, _count: { _all: true }, orderBy: { family: "asc" } });
  return groups.filter((g) => g.family).map((g) => ({ family: g.family as string, count: g._count._all }));
}

/** Genera (rows of rank GENUS) with their number of member taxa. */
export async function listGenera(db: Catalog): Promise<{ genus: string; count: number }[]> {
  const groups = await db.species.groupBy({ by: ["genus"], where: { rank: { not: "GENUS" } }, _count: { _all: true }, orderBy: { genus: "asc" } });
  return groups.map((g) => ({ genus: g.genus, count: g._count._all }));
}

const slugSchema = z.string().regex(/^[a-z0-9-]{1,200}$/);

export async function speciesBySlug(db: Catalog, slug: string) {
  if (!slugSchema.safeParse(slug).success) return null;
  return db.species.findUnique({
    where: { slug },
    include: {
      commonNames: { orderBy: { id: "asc" } },
      synonyms: { orderBy: { name: "asc" } },
      claims: { orderBy: { id: "asc" } },
      parent: { select: { slug: true, scientificName: true, edibility: true } },
      children: {
        orderBy: { scientificName: "asc" },
        select: {
          slug: true,
          scientificName: true,
          rank: true,
          edibility: true,
          commonNames: { select: { name: true }, orderBy: { id: "asc" }, take: 1 },
          photos: { where: { status: "APPROVED" }, select: { contentHash: true }, orderBy: { id: "asc" }, take: 1 },
        },
      },
      photos: {
        where: { status: "APPROVED" },
        orderBy: { id: "asc" },
        take: 30,
        include: { origins: { include: { source: true }, orderBy: { id: "asc" } } },
      },
      lookalikes: { include: { to: { select: { slug: true, scientificName: true, edibility: true } } } },
      lookalikeOf: { include: { from: { select: { slug: true, scientificName: true, edibility: true } } } },
      records: { include: { source: true } },
    },
  });
}
export type SpeciesDetail = NonNullable<Awaited<ReturnType<typeof speciesBySlug>>>;

/**
 * Approved photos of a taxon that arrived from one source (the site's contributions), newest first: the main grid
 * shows a taxon's first photos, so reviewed contributions get a place of their own.
 */
export async function approvedPhotosFrom(db: Catalog, speciesId: number, sourceKey: string, take = 12) {
  return db.photo.findMany({
    where: { speciesId, status: "APPROVED", origins: { some: { source: { key: sourceKey } } } },
    orderBy: { id: "desc" },
    take,
    include: { origins: { where: { source: { key: sourceKey } }, include: { source: true }, orderBy: { id: "asc" } } },
  });
}

/** Photo file path (relative to the photo store) for a hash and variant; null when unknown. */
export async function photoFile(db: Catalog, hash: string, variant: "thumb" | "full"): Promise<string | null> {
  if (!/^[a-f0-9]{64}$/.test(hash)) return null;
  const p = await db.photo.findUnique({ where: { contentHash: hash }, select: { filePath: true, thumbPath: true, status: true } });
  if (!p || p.status !== "APPROVED") return null;
  return variant === "thumb" ? (p.thumbPath ?? p.filePath) : p.filePath;
}
