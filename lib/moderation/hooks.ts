// What happens after a reviewer approves a photo (or relabels it, which approves it as another taxon). The
// prototype head is built from approved photos' embeddings, so computing this photo's embedding now lets its
// species gain recognition without retraining. Called after the decision is committed: a failure here never
// undoes the decision (the embedding can be recomputed later).
import type { Catalog } from "../catalog/client";
import { settings } from "../settings";
import { storePhotoEmbedding } from "./embedding";

export type HookOutcome = { ok: true; modelSha256: string; dim: number } | { ok: false; error: string };

export async function onPhotoApproved(db: Catalog, photoId: number, storeRoot = settings().photoStore): Promise<HookOutcome> {
  try {
    return { ok: true, ...(await storePhotoEmbedding(db, storeRoot, photoId)) };
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    console.error(`onPhotoApproved(${photoId}): ${error}`);
    return { ok: false, error };
  }
}
