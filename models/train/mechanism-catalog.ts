// Fills a catalog with the 17 labelled ImageNet sample photos as 17 stand-in "species" (edibility UNKNOWN), through
// the catalog's own Photo/PhotoOrigin rows. This is the mechanism test the issue asks for while the catalog has no
// real mushroom photos: it exercises every stage, it measures nothing about mushrooms.
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import type { Catalog } from "../../lib/catalog/client.ts";
import { upsertSource, upsertSpecies } from "../../lib/catalog/ingest.ts";
import { recordPhoto } from "../../lib/catalog/photos.ts";

export const MECHANISM_SOURCE = {
  key: "imagenet-samples",
  name: "ImageNet validation-style samples (backbone known-answer set)",
  licence: "ImageNet terms of access (research use); via codr-shiv/VisionTransformer dataset/ImageNetSelected",
};

export type SampleInfo = { file: string; label: string; index: number };

export function imagenetSamples(backboneDir: string): SampleInfo[] {
  const dir = path.join(backboneDir, "imagenet-samples");
  const expected = JSON.parse(readFileSync(path.join(dir, "expected.json"), "utf8")) as Record<string, { label: string; index: number }>;
  return Object.entries(expected).map(([f, e]) => ({ file: path.join(dir, f), label: e.label, index: e.index }));
}

/** Adds the samples (idempotent); returns how many photo rows exist for them. */
export async function ingestImagenetSamples(db: Catalog, photoStore: string, backboneDir: string): Promise<number> {
  const sourceId = await upsertSource(db, MECHANISM_SOURCE);
  let n = 0;
  for (const s of imagenetSamples(backboneDir)) {
    const bytes = readFileSync(s.file);
    const contentHash = createHash("sha256").update(bytes).digest("hex");
    const rel = path.posix.join("originals", contentHash.slice(0, 2), `${contentHash}.jpg`);
    mkdirSync(path.dirname(path.join(photoStore, rel)), { recursive: true });
    copyFileSync(s.file, path.join(photoStore, rel));
    const meta = await sharp(bytes).metadata();
    const species = await upsertSpecies(db, { scientificName: `Imagenet ${s.label}` });
    await recordPhoto(
      db,
      { speciesId: species.id, contentHash, width: meta.width ?? 0, height: meta.height ?? 0, format: meta.format ?? "jpeg", byteSize: bytes.length, filePath: rel, trainPath: rel, thumbPath: rel },
      { sourceId, sourceUrl: `imagenet-samples/${path.basename(s.file)}`, licence: MECHANISM_SOURCE.licence, attribution: "ImageNet (Deng et al. 2009)" },
    );
    n++;
  }
  return n;
}
