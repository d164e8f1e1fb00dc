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

export type PhotoOriginInput = {
  sourceId: number;
  sourceUrl: string;
  licence: string;
  attribution: string;
  photographer?: string;
  licenceCode?: string;
  licenceUrl?: string;
  originalUrl?: string;
  nonCommercial?: boolean;
};

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

/**
 * Insert the photo with its origin, or, when its hash is known already, link the origin to that photo
 * (which keeps its first species). Idempotent and safe to repeat after a kill.
 */
export async function recordPhoto(db: Catalog, photo: PhotoRecordInput, origin: PhotoOriginInput): Promise<RecordPhotoResult> {
  // Two plain statements, not a nested create: Prisma would open an interactive transaction, which on
  // SQLite (libsql) costs a fresh connection and a synced commit per photo. A kill between the two leaves
  // a photo without this origin, which the next run links (the hash is found, the origin is missing).
  let photoId: number;
  try {
    photoId = (await db.photo.create({ data: photo, select: { id: true } })).id;
  } catch (e) {
    // Unique conflict: the same bytes arrived first from elsewhere.
    const existing = await photoIdForHash(db, photo.contentHash);
    if (existing === undefined) throw e;
    return linkOrigin(db, existing, origin);
  }
  return linkOrigin(db, photoId, origin, true);
}

/** Link an origin to an existing photo; a second link of the same (source, URL) changes nothing. */
export async function linkOrigin(
  db: Catalog,
  photoId: number,
  origin: PhotoOriginInput,
  /** Passed through to the result, for callers that created the photo themselves. */
  photoCreated = false,
): Promise<RecordPhotoResult> {
  try {
    await db.photoOrigin.create({ data: { photoId, ...origin }, select: { id: true } });
    return { photoId, photoCreated, originCreated: true };
  } catch (e) {
    const existing = await photoIdForOrigin(db, origin.sourceId, origin.sourceUrl);
    if (existing === undefined) throw e;
    return { photoId: existing, photoCreated, originCreated: false };
  }
}
