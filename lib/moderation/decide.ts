// A reviewer's decision about a photo in the queue: approve it, reject it, or relabel it (approve it as another
// taxon). Each decision changes the photo and writes its audit row in one transaction, and only a photo still
// waiting for review can be decided (two reviewers at once: the second is told it was decided already).
import { rm } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import type { Catalog } from "../catalog/client";
import { onPhotoApproved, type HookOutcome } from "./hooks";
import { findCatalogTaxon } from "./taxon";

export const NOTE_MAX = 500;

const note = z
  .string()
  .trim()
  .max(NOTE_MAX)
  .optional()
  .transform((s) => s || undefined);

/** The body of POST /api/review/photos/<id>/decision (JSON or a form). */
export const decisionInput = z.discriminatedUnion("action", [
  z.object({ action: z.literal("approve"), note }),
  z.object({ action: z.literal("reject"), note }),
  z.object({ action: z.literal("relabel"), taxon: z.string().trim().min(2).max(200), note }),
]);
export type DecisionInput = z.input<typeof decisionInput>;

export type Reviewer = { id: string; email: string };

export type DecisionOutcome =
  | {
      ok: true;
      decisionId: number;
      photo: { id: number; contentHash: string; status: "APPROVED" | "REJECTED"; taxon: { scientificName: string; slug: string } };
      /** The prototype hook's result (approve and relabel only). */
      embedding?: HookOutcome;
    }
  | { ok: false; status: 404 | 409 | 422; code: string; message: string };

const ACTION = { approve: "APPROVE", reject: "REJECT", relabel: "RELABEL" } as const;

export async function decide(db: Catalog, storeRoot: string, reviewer: Reviewer, photoId: number, input: DecisionInput): Promise<DecisionOutcome> {
  const photo = await db.photo.findUnique({
    where: { id: photoId },
    select: { id: true, contentHash: true, status: true, filePath: true, trainPath: true, thumbPath: true, species: { select: { id: true, scientificName: true, slug: true } } },
  });
  if (!photo) return { ok: false, status: 404, code: "no-such-photo", message: `There is no photo ${photoId}.` };
  if (photo.status !== "PENDING_REVIEW") return decidedAlready(photo.status);
  let target = photo.species;
  if (input.action === "relabel") {
    const found = await findCatalogTaxon(db, input.taxon);
    if (!found) return { ok: false, status: 422, code: "unknown-taxon", message: `${input.taxon} is not a taxon in the catalog.` };
    if (found.id === photo.species.id) return { ok: false, status: 422, code: "same-taxon", message: `The photo is already labelled ${found.scientificName}: approve it instead.` };
    target = found;
  }
  const toStatus: "APPROVED" | "REJECTED" = input.action === "reject" ? "REJECTED" : "APPROVED";
  const decisionId = await db.$transaction(async (tx) => {
    const changed = await tx.photo.updateMany({ where: { id: photo.id, status: "PENDING_REVIEW" }, data: { status: toStatus, speciesId: target.id } });
    if (changed.count !== 1) return null;
    const row = await tx.reviewDecision.create({
      data: {
        photoId: photo.id,
        photoHash: photo.contentHash,
        reviewerId: reviewer.id,
        reviewerEmail: reviewer.email,
        action: ACTION[input.action],
        fromStatus: "PENDING_REVIEW",
        toStatus,
        fromSpeciesId: photo.species.id,
        fromTaxon: photo.species.scientificName,
        toSpeciesId: target.id,
        toTaxon: target.scientificName,
        note: input.note,
      },
      select: { id: true },
    });
    return row.id;
  });
  if (decisionId === null) return decidedAlready("decided by someone else just now");
  const result = { ok: true as const, decisionId, photo: { id: photo.id, contentHash: photo.contentHash, status: toStatus, taxon: { scientificName: target.scientificName, slug: target.slug } } };
  if (toStatus === "REJECTED") {
    // Nothing of a rejected photo stays servable: its files go (the row and its hash stay, so the same bytes sent
    // again are recognised and not queued a second time).
    await removeFiles(storeRoot, [photo.filePath, photo.trainPath, photo.thumbPath]);
    return result;
  }
  return { ...result, embedding: await onPhotoApproved(db, photo.id, storeRoot) };
}

function decidedAlready(status: string): DecisionOutcome {
  return { ok: false, status: 409, code: "already-decided", message: `This photo is no longer waiting for review (${status}).` };
}

async function removeFiles(storeRoot: string, rels: (string | null)[]): Promise<void> {
  const root = path.resolve(storeRoot);
  for (const rel of rels) {
    if (!rel) continue;
    const file = path.resolve(root, rel);
    if (file.startsWith(root + path.sep)) await rm(file, { force: true });
  }
}
