// The catalog side of photo ingestion: a photo row per content hash, and one origin per (source, URL).
// A photo already known by its hash gets a new origin linked to it; nothing is copied.
import type { Catalog } from "./client";

export type PhotoRecordInput = {
  speciesId: number;
  contentHash: string;
  width: number;
  height: number;
  format: string;
  byteSize: number;
  filePath: string;
  trainPath: string;
  thumbPath: string;
};

export type PhotoOriginInput = { sourceId: number; sourceUrl: string; licence: string; attribution: string };

export type RecordPhotoResult = { photoId: number; photoCreated: boolean; originCreated: boolean };

/** The photo an origin already points to, if this (source, URL) was imported before. */
export async function photoIdForOrigin(db: Catalog, sourceId: number, sourceUrl: string): Promise<number | undefined> {
  const row = await db.photoOrigin.findUnique({ where: { sourceId_sourceUrl: { sourceId, sourceUrl } }, select: { photoId: true } });
  return row?.photoId;
}

export async function photoIdForHash(db: Catalog, contentHash: string): Promise<number | undefined> {
  const row = await db.photo.findUnique({ where: { contentHash }, select: { id: true } });
  return row?.id;
}

/** Insert the photo (or find it by hash) and link the origin; idempotent and safe to repeat after a kill. */
export async function recordPhoto(db: Catalog, photo: PhotoRecordInput, origin: PhotoOriginInput): Promise<RecordPhotoResult> {
  let photoCreated = false;
  let photoId = await photoIdForHash(db, photo.contentHash);
  if (photoId === undefined) {
    try {
      photoId = (await db.photo.create({ data: photo, select: { id: true } })).id;
      photoCreated = true;
    } catch (e) {
      // Another worker inserted the same hash between our read and write.
      photoId = await photoIdForHash(db, photo.contentHash);
      if (photoId === undefined) throw e;
    }
  }
  return linkOrigin(db, photoId, origin, photoCreated);
}

/** Link an origin to an existing photo by hash (used when the bytes are known to be stored already). */
export async function linkOrigin(
  db: Catalog,
  photoId: number,
  origin: PhotoOriginInput,
  photoCreated = false,
): Promise<RecordPhotoResult> {
  const key = { sourceId_sourceUrl: { sourceId: origin.sourceId, sourceUrl: origin.sourceUrl } };
  const existing = await db.photoOrigin.findUnique({ where: key, select: { id: true } });
  if (existing) return { photoId, photoCreated, originCreated: false };
  try {
    await db.photoOrigin.create({ data: { photoId, ...origin } });
    return { photoId, photoCreated, originCreated: true };
  } catch (e) {
    if (await db.photoOrigin.findUnique({ where: key, select: { id: true } })) return { photoId, photoCreated, originCreated: false };
    throw e;
  }
}
