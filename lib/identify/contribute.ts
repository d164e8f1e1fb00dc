// Contributed photos go into the catalog's moderation queue (status PENDING_REVIEW): stored once by hash,
// metadata stripped by the photo store, never shown on the site until approved.
import type { Catalog } from "../catalog/client";
import { normalizeScientificName } from "../catalog/names";
import { upsertSource } from "../catalog/ingest";
import { linkOrigin } from "../catalog/photos";
import { storePhoto } from "../photos/store";
import type { ImageLimits } from "../photos/validate";

export const CONTRIBUTION_SOURCE = {
  key: "contributions",
  name: "Site contributions",
  licence: "CC BY 4.0, granted by the contributor",
};
/** The licence contributors grant, as shown under an approved photo. */
export const CONTRIBUTION_LICENCE = { licenceCode: "CC BY 4.0", licenceUrl: "https://creativecommons.org/licenses/by/4.0/", nonCommercial: false };
export const CREDIT_MAX = 80;

/** The optional "credit" field: the name a contributor wants shown (letters, digits, spaces, common punctuation). */
export function contributorCredit(raw: string | undefined): string | undefined {
  const s = (raw ?? "")
    .normalize("NFC")
    .replace(/[^\p{L}\p{N}\p{Zs}.,'()&@_-]/gu, "")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, CREDIT_MAX);
  return s || undefined;
}

export type ContributionOutcome =
  | { ok: true; photoHash: string; queued: boolean }
  | { ok: false; status: 400 | 422; code: string; message: string };

export async function contributePhoto(
  db: Catalog,
  storeRoot: string,
  bytes: Buffer,
  fields: Record<string, string>,
  limits: ImageLimits,
): Promise<ContributionOutcome> {
  if (fields.consent !== "yes") return { ok: false, status: 400, code: "no-consent", message: "Tick the box granting the licence to contribute." };
  let name: string;
  try {
    name = normalizeScientificName(fields.species ?? "");
  } catch {
    return { ok: false, status: 400, code: "no-species", message: "Say which species you believe this is." };
  }
  const species = await db.species.findUnique({ where: { scientificName: name }, select: { id: true } });
  if (!species) return { ok: false, status: 422, code: "unknown-species", message: `${name} is not in the catalog.` };
  const stored = await storePhoto(storeRoot, bytes, limits, { reencode: true });
  if (!stored.ok) return { ok: false, status: 422, code: stored.reason, message: stored.detail };
  const sourceId = await upsertSource(db, CONTRIBUTION_SOURCE);
  const { photo } = stored;
  const credit = contributorCredit(fields.credit);
  const origin = {
    sourceId,
    sourceUrl: `contribution:${photo.contentHash}`,
    licence: CONTRIBUTION_SOURCE.licence,
    attribution: credit ? `${credit} (site contributor)` : "Site contributor",
    ...CONTRIBUTION_LICENCE,
    photographer: credit,
  };
  const existing = await db.photo.findUnique({ where: { contentHash: photo.contentHash }, select: { id: true } });
  if (existing) {
    // Already in the catalog (approved or queued): record who else sent it, change nothing else.
    await linkOrigin(db, existing.id, origin);
  } else {
    // Created straight into the queue so it is never visible before review.
    const created = await db.photo.create({ data: { ...photo, speciesId: species.id, status: "PENDING_REVIEW" }, select: { id: true } });
    await linkOrigin(db, created.id, origin, true);
  }
  return { ok: true, photoHash: photo.contentHash, queued: !existing };
}
