// What training reads from the catalog: approved photos with their species (name, edibility) and origins (licences).
import path from "node:path";
import type { Catalog } from "../../lib/catalog/client.ts";
import type { Edibility } from "./metrics.ts";

export type TrainPhoto = {
  photoId: number;
  contentHash: string;
  speciesId: number;
  /** Image the network sees: the training derivative when the store made one, else the original. */
  imageFile: string;
  /** Small image for the perceptual hash. */
  thumbFile: string;
  origins: { sourceKey: string; sourceName: string; licence: string; attribution: string }[];
  /** The source the photo was first imported from (per-source accuracy in the card). */
  source: string;
};

export type TrainSpecies = { id: number; scientificName: string; slug: string; edibility: Edibility; rank: "SPECIES" | "GROUP" | "SECTION" | "GENUS"; genus: string };

export type CatalogSnapshot = { photos: TrainPhoto[]; species: Map<number, TrainSpecies>; totalSpecies: number };

export async function readTrainingPhotos(db: Catalog, photoStore: string): Promise<CatalogSnapshot> {
  const rows = await db.photo.findMany({
    where: { status: "APPROVED" },
    orderBy: { contentHash: "asc" },
    include: {
      species: { select: { id: true, scientificName: true, slug: true, edibility: true, rank: true, genus: true } },
      origins: { include: { source: { select: { key: true, name: true } } } },
    },
  });
  const species = new Map<number, TrainSpecies>();
  const photos = rows.map((r) => {
    species.set(r.species.id, { ...r.species, edibility: r.species.edibility as Edibility });
    const image = r.trainPath ?? r.filePath;
    return {
      photoId: r.id,
      contentHash: r.contentHash,
      speciesId: r.speciesId,
      imageFile: path.resolve(photoStore, image),
      thumbFile: path.resolve(photoStore, r.thumbPath ?? image),
      origins: r.origins.map((o) => ({ sourceKey: o.source.key, sourceName: o.source.name, licence: o.licence, attribution: o.attribution })),
      source: [...r.origins].sort((a, b) => a.id - b.id)[0]?.source.key ?? "unknown",
    };
  });
  return { photos, species, totalSpecies: await db.species.count({ where: { rank: { not: "GENUS" } } }) };
}
