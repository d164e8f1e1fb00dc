// Review decisions on a real catalog (SQLite and PostgreSQL): each decision changes the photo and writes its audit
// row; approved photos are served, counted for training and embedded for the prototype head; a rejected photo is
// nowhere. Uses the exported ImageNet backbone (npm run prepare:models) for the embedding.
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { photoFile } from "../../lib/catalog/browse";
import { upsertSpecies } from "../../lib/catalog/ingest";
import { contributePhoto } from "../../lib/identify/contribute";
import { factsForLabels } from "../../lib/identify/species-facts";
import { decide } from "../../lib/moderation/decide";
import { vectorFromBytes } from "../../lib/moderation/embedding";
import { auditLog, pendingPhotoFile, pendingPhotos, reviewItem } from "../../lib/moderation/queue";
import { DEFAULT_IMAGE_LIMITS } from "../../lib/photos/validate";
import { settings } from "../../lib/settings";
import { readTrainingPhotos } from "../../models/train/catalog-photos";
import { embedViews, openBackbone } from "../../models/train/embed";
import { FeatureCache } from "../../models/train/feature-cache";
import { shippedModelFile } from "../../lib/identify/shipped-model";
import type { TempCatalog } from "../support/temp-db";

const SAMPLES = path.join(settings().backboneDir, "imagenet-samples");
const reviewer = { id: "reviewer-1", email: "reviewer@example.org" };

export function decisionsContract(name: string, open: () => Promise<TempCatalog>) {
  describe(`review decisions on ${name}`, () => {
    let t: TempCatalog;
    let store: string;
    let samples: string[];
    const contribute = async (file: string, species: string, credit?: string) => {
      const out = await contributePhoto(t.db, store, await readFile(path.join(SAMPLES, file)), { species, consent: "yes", ...(credit ? { credit } : {}) }, DEFAULT_IMAGE_LIMITS);
      if (!out.ok) throw new Error(out.message);
      return (await t.db.photo.findUniqueOrThrow({ where: { contentHash: out.photoHash } })).id;
    };

    beforeAll(async () => {
      t = await open();
      store = await mkdtemp(path.join(os.tmpdir(), "review-store-"));
      samples = Object.keys(JSON.parse(await readFile(path.join(SAMPLES, "expected.json"), "utf8")));
      await upsertSpecies(t.db, { scientificName: "Agaricus arvensis", commonNames: ["Horse mushroom"], edibility: "EDIBLE" });
      await upsertSpecies(t.db, { scientificName: "Tylopilus felleus", commonNames: ["Bitter bolete"], synonyms: ["Boletus felleus"] });
      await upsertSpecies(t.db, { scientificName: "Amanita phalloides", commonNames: ["Death cap"], edibility: "DEADLY" });
    });
    afterAll(async () => {
      await t?.cleanup();
      if (store) await rm(store, { recursive: true, force: true });
    });

    it("the queue lists contributions oldest first, and only reviewers' endpoints serve their files", async () => {
      const a = await contribute(samples[0]!, "Agaricus arvensis", "Jane Doe");
      const b = await contribute(samples[1]!, "Agaricus arvensis");
      const q = await pendingPhotos(t.db);
      expect(q.items.map((i) => i.id)).toEqual([a, b]);
      expect(q.items[0]!.claimed.scientificName).toBe("Agaricus arvensis");
      expect(await pendingPhotoFile(t.db, a, "full")).toMatch(/^originals\//);
      const item = await reviewItem(t.db, a);
      expect(item?.photo.origins[0]?.photographer).toBe("Jane Doe");
      expect(item?.photo.origins[0]?.licenceCode).toBe("CC BY 4.0");
      // Not public before review.
      expect(await photoFile(t.db, item!.photo.contentHash, "thumb")).toBeNull();
    });

    it("approve: public, in the training set, embedded with the served model, audited", async () => {
      const id = (await pendingPhotos(t.db)).items[0]!.id;
      const out = await decide(t.db, store, reviewer, id, { action: "approve", note: "clear gills" });
      expect(out.ok).toBe(true);
      if (!out.ok) return;
      expect(out.photo.status).toBe("APPROVED");
      expect(out.embedding).toMatchObject({ ok: true, dim: 192 });
      const emb = await t.db.photoEmbedding.findUniqueOrThrow({ where: { photoId: id } });
      expect(emb.dim).toBe(192);
      expect(emb.modelSha256).toMatch(/^[a-f0-9]{64}$/);
      const v = vectorFromBytes(emb.vector, emb.dim);
      expect(v.every(Number.isFinite)).toBe(true);
      expect(Math.max(...v.map(Math.abs))).toBeGreaterThan(0);
      // The same vector training computes for this photo's plain view, so prototypes from either agree.
      const backbone = await openBackbone(shippedModelFile()!.file);
      const train = (await readTrainingPhotos(t.db, store)).photos.find((p) => p.photoId === id)!;
      const { features } = await embedViews(backbone, new FeatureCache(undefined, backbone.dim), [{ contentHash: train.contentHash, imageFile: train.imageFile, view: "orig" }], { augmentSeed: 0 });
      expect(Math.max(...features.map((x, i) => Math.abs(x - v[i]!)))).toBeLessThan(1e-4);
      expect(await photoFile(t.db, out.photo.contentHash, "full")).toMatch(/^originals\//);
      expect(await pendingPhotoFile(t.db, id, "full")).toBeNull();
      const training = await readTrainingPhotos(t.db, store);
      expect(training.photos.map((p) => p.photoId)).toContain(id);
      const [facts] = await factsForLabels(t.db, ["Agaricus arvensis"]);
      expect(facts?.species?.photos).toContain(out.photo.contentHash);
      const log = await auditLog(t.db);
      expect(log.rows[0]).toMatchObject({ photoId: id, reviewerId: reviewer.id, reviewerEmail: reviewer.email, action: "APPROVE", fromStatus: "PENDING_REVIEW", toStatus: "APPROVED", fromTaxon: "Agaricus arvensis", toTaxon: "Agaricus arvensis", note: "clear gills" });
      expect(log.rows[0]!.createdAt.getTime()).toBeGreaterThan(Date.now() - 60_000);
    });

    it("a photo is decided once: a second decision is refused and changes nothing", async () => {
      const id = (await auditLog(t.db)).rows[0]!.photoId;
      const before = await t.db.reviewDecision.count();
      const again = await decide(t.db, store, reviewer, id, { action: "reject" });
      expect(again).toMatchObject({ ok: false, status: 409, code: "already-decided" });
      expect((await t.db.photo.findUniqueOrThrow({ where: { id } })).status).toBe("APPROVED");
      expect(await t.db.reviewDecision.count()).toBe(before);
      expect(await decide(t.db, store, reviewer, 999_999, { action: "approve" })).toMatchObject({ ok: false, status: 404 });
    });

    it("reject: the photo's files are deleted and it is nowhere: not served, not in training, not in facts", async () => {
      const id = (await pendingPhotos(t.db)).items[0]!.id;
      const row = await t.db.photo.findUniqueOrThrow({ where: { id } });
      const out = await decide(t.db, store, reviewer, id, { action: "reject", note: "not a mushroom" });
      expect(out).toMatchObject({ ok: true, photo: { status: "REJECTED" } });
      for (const rel of [row.filePath, row.trainPath, row.thumbPath]) expect(existsSync(path.join(store, rel!))).toBe(false);
      expect(await photoFile(t.db, row.contentHash, "full")).toBeNull();
      expect(await photoFile(t.db, row.contentHash, "thumb")).toBeNull();
      expect(await pendingPhotoFile(t.db, id, "full")).toBeNull();
      expect((await readTrainingPhotos(t.db, store)).photos.map((p) => p.photoId)).not.toContain(id);
      const [facts] = await factsForLabels(t.db, ["Agaricus arvensis"]);
      expect(facts?.species?.photos).not.toContain(row.contentHash);
      expect(await t.db.photoEmbedding.findUnique({ where: { photoId: id } })).toBeNull();
      expect((await pendingPhotos(t.db)).items.map((i) => i.id)).not.toContain(id);
      // The same bytes sent again stay rejected rather than queue a second time.
      await contribute(samples[1]!, "Agaricus arvensis");
      expect((await t.db.photo.findUniqueOrThrow({ where: { id } })).status).toBe("REJECTED");
      expect((await pendingPhotos(t.db)).total).toBe(0);
      expect((await auditLog(t.db)).rows[0]).toMatchObject({ action: "REJECT", toStatus: "REJECTED", note: "not a mushroom" });
    });

    it("relabel: moves the photo to the taxon a synonym or common name names, approves and embeds it", async () => {
      const bySynonym = await contribute(samples[2]!, "Agaricus arvensis");
      const out = await decide(t.db, store, reviewer, bySynonym, { action: "relabel", taxon: "Boletus felleus" });
      expect(out).toMatchObject({ ok: true, photo: { status: "APPROVED", taxon: { scientificName: "Tylopilus felleus" } }, embedding: { ok: true } });
      const byCommon = await contribute(samples[3]!, "Agaricus arvensis");
      expect(await decide(t.db, store, reviewer, byCommon, { action: "relabel", taxon: "Death cap" })).toMatchObject({ ok: true, photo: { taxon: { scientificName: "Amanita phalloides" } } });
      expect((await t.db.photo.findUniqueOrThrow({ where: { id: byCommon }, include: { species: true } })).species.scientificName).toBe("Amanita phalloides");
      expect((await auditLog(t.db)).rows[0]).toMatchObject({ action: "RELABEL", fromTaxon: "Agaricus arvensis", toTaxon: "Amanita phalloides", toStatus: "APPROVED" });
      const training = await readTrainingPhotos(t.db, store);
      expect(training.photos.find((p) => p.photoId === byCommon)?.speciesId).toBe((await t.db.species.findUniqueOrThrow({ where: { scientificName: "Amanita phalloides" } })).id);
    });

    it("refuses a relabel to a name the catalog lacks, or to the claimed taxon, and changes nothing", async () => {
      const id = await contribute(samples[4]!, "Agaricus arvensis");
      const before = await t.db.reviewDecision.count();
      expect(await decide(t.db, store, reviewer, id, { action: "relabel", taxon: "Nonexistus fictus" })).toMatchObject({ ok: false, status: 422, code: "unknown-taxon" });
      expect(await decide(t.db, store, reviewer, id, { action: "relabel", taxon: "horse mushroom" })).toMatchObject({ ok: false, status: 422, code: "same-taxon" });
      expect((await t.db.photo.findUniqueOrThrow({ where: { id } })).status).toBe("PENDING_REVIEW");
      expect(await t.db.reviewDecision.count()).toBe(before);
    });

    it("two reviewers deciding at once: one decision wins, one audit row", async () => {
      const id = await contribute(samples[5]!, "Agaricus arvensis");
      const before = await t.db.reviewDecision.count();
      const outs = await Promise.all([
        decide(t.db, store, reviewer, id, { action: "approve" }),
        decide(t.db, store, { id: "reviewer-2", email: "other@example.org" }, id, { action: "reject" }),
      ]);
      expect(outs.filter((o) => o.ok)).toHaveLength(1);
      expect(outs.find((o) => !o.ok)).toMatchObject({ status: 409 });
      expect(await t.db.reviewDecision.count()).toBe(before + 1);
    });
  });
}
