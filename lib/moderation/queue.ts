// What reviewers see: the photos waiting for review, one photo with what helps to judge it, and the audit log.
import { z } from "zod";
import type { Catalog } from "../catalog/client";

export const QUEUE_PAGE_SIZE = 30;
export const REFERENCE_PHOTOS = 6;

export const photoIdParam = z.coerce.number().int().positive().max(2 ** 31 - 1);
export const pageParam = z.coerce.number().int().min(1).max(100_000).catch(1);

export type QueueItem = {
  id: number;
  contentHash: string;
  width: number;
  height: number;
  createdAt: Date;
  claimed: { scientificName: string; slug: string };
};

export async function pendingPhotos(db: Catalog, page = 1): Promise<{ items: QueueItem[]; total: number; page: number; pages: number }> {
  const where = { status: "PENDING_REVIEW" as const };
  const total = await db.photo.count({ where });
  const rows = await db.photo.findMany({
    where,
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    skip: (page - 1) * QUEUE_PAGE_SIZE,
    take: QUEUE_PAGE_SIZE,
    select: { id: true, contentHash: true, width: true, height: true, createdAt: true, species: { select: { scientificName: true, slug: true } } },
  });
  return {
    items: rows.map(({ species, ...r }) => ({ ...r, claimed: species })),
    total,
    page,
    pages: Math.max(1, Math.ceil(total / QUEUE_PAGE_SIZE)),
  };
}

/** One photo for review: the photo, the claimed taxon with approved reference photos, and its decisions so far. */
export async function reviewItem(db: Catalog, photoId: number) {
  const photo = await db.photo.findUnique({
    where: { id: photoId },
    select: {
      id: true,
      contentHash: true,
      status: true,
      filePath: true,
      width: true,
      height: true,
      createdAt: true,
      origins: { select: { photographer: true, licence: true, licenceCode: true, source: { select: { key: true, name: true } } }, orderBy: { id: "asc" } },
      species: { select: { id: true, scientificName: true, slug: true, rank: true, edibility: true, commonNames: { select: { name: true }, take: 1, orderBy: { id: "asc" } } } },
    },
  });
  if (!photo) return null;
  const approved = { status: "APPROVED" as const };
  // A genus (or group) with no photos of its own is shown through its members'.
  let references = await db.photo.findMany({ where: { ...approved, speciesId: photo.species.id }, orderBy: { id: "asc" }, take: REFERENCE_PHOTOS, select: { contentHash: true } });
  if (references.length === 0) {
    references = await db.photo.findMany({ where: { ...approved, species: { parentId: photo.species.id } }, orderBy: { id: "asc" }, take: REFERENCE_PHOTOS, select: { contentHash: true } });
  }
  const decisions = await db.reviewDecision.findMany({ where: { photoId }, orderBy: { id: "asc" } });
  return { photo, references: references.map((r) => r.contentHash), decisions };
}
export type ReviewItem = NonNullable<Awaited<ReturnType<typeof reviewItem>>>;

/** Store path of a photo waiting for review (reviewers see it before anyone else may; never a rejected one). */
export async function pendingPhotoFile(db: Catalog, photoId: number, variant: "thumb" | "full"): Promise<string | null> {
  const p = await db.photo.findUnique({ where: { id: photoId }, select: { status: true, filePath: true, thumbPath: true } });
  if (!p || p.status !== "PENDING_REVIEW") return null;
  return variant === "thumb" ? (p.thumbPath ?? p.filePath) : p.filePath;
}

export const AUDIT_PAGE_SIZE = 50;

/** The audit log, newest first. */
export async function auditLog(db: Catalog, page = 1) {
  const total = await db.reviewDecision.count();
  const rows = await db.reviewDecision.findMany({ orderBy: { id: "desc" }, skip: (page - 1) * AUDIT_PAGE_SIZE, take: AUDIT_PAGE_SIZE });
  return { rows, total, page, pages: Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE)) };
}
