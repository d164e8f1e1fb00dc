// Shared test inputs: the exported model (made on demand, idempotent) and the 17 ImageNet known-answer photos.
import { readFileSync } from "node:fs";
import path from "node:path";
import { runExport, DEFAULT_MODEL_ID } from "../../models/export-cli.ts";
import { settings } from "../../lib/settings.ts";
import { preprocessImageFile } from "../../lib/vit/preprocess-node.ts";
import type { PreprocessSettings } from "../../lib/vit/preprocess.ts";

export function modelPath(): string {
  return runExport({ modelId: DEFAULT_MODEL_ID }).out;
}

export function modelBytes(): Uint8Array {
  return new Uint8Array(readFileSync(modelPath()));
}

export type Sample = { file: string; index: number; label: string };

export function samples(): Sample[] {
  const dir = path.join(settings().backboneDir, "imagenet-samples");
  const expected = JSON.parse(readFileSync(path.join(dir, "expected.json"), "utf8")) as Record<string, { index: number; label: string }>;
  return Object.entries(expected).map(([f, e]) => ({ file: path.join(dir, f), index: e.index, label: e.label }));
}

/** All samples preprocessed into one [B,3,S,S] batch. */
export async function sampleBatch(s: PreprocessSettings): Promise<{ batch: Float32Array; items: Sample[] }> {
  const items = samples();
  const plane = 3 * s.imageSize * s.imageSize;
  const batch = new Float32Array(items.length * plane);
  for (const [i, it] of items.entries()) batch.set(await preprocessImageFile(it.file, s), i * plane);
  return { batch, items };
}

export function argmax(a: ArrayLike<number>, from = 0, len = a.length): number {
  let best = from;
  for (let i = from + 1; i < from + len; i++) if (a[i]! > a[best]!) best = i;
  return best - from;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return Number.isNaN(m) ? Infinity : m;
}

/** Standard-normal-ish floats (sum of uniforms), fresh each call. */
export function randn(n: number, scale = 1): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (Math.random() + Math.random() + Math.random() - 1.5) * 2 * scale;
  return out;
}
