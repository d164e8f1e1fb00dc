// Backbone features with onnxruntime-node on CPU: batched, progress-barred, cached by photo hash and view.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { SingleBar, Presets } from "cli-progress";
import * as ort from "onnxruntime-node";
import { parseModelMeta, type ModelMeta } from "../../lib/vit/model-meta.ts";
import { readOnnxModel } from "../../lib/vit/onnx/read.ts";
import { preprocessImageFile } from "../../lib/vit/preprocess-node.ts";
import { AUGMENT_VERSION, augmentedTensor, drawAugment } from "./augment.ts";
import { FeatureCache } from "./feature-cache.ts";

/** What to embed: the plain centre crop ("orig") or augmented view i of a photo. */
export type ViewRequest = { contentHash: string; imageFile: string; view: "orig" | number };

export type Backbone = { session: ort.InferenceSession; meta: ModelMeta; fingerprint: string; dim: number };

export async function openBackbone(onnxFile: string, threads = 2): Promise<Backbone> {
  const bytes = readFileSync(onnxFile);
  const meta = parseModelMeta(readOnnxModel(bytes).metadata);
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: threads, interOpNumThreads: 1 });
  // The features do not depend on the head; fingerprint the file so a re-exported backbone invalidates the cache.
  const fingerprint = createHash("sha256").update(bytes).digest("hex").slice(0, 16);
  return { session, meta, fingerprint, dim: meta.embedDim };
}

export function cacheFileFor(cacheDir: string, b: Backbone): string {
  return path.join(cacheDir, `features-${b.fingerprint}.bin`);
}

export function viewKey(r: ViewRequest, augmentSeed: number): string {
  return r.view === "orig" ? `${r.contentHash}:orig` : `${r.contentHash}:aug${AUGMENT_VERSION}:${augmentSeed}:${r.view}`;
}

export type EmbedOptions = { batchSize?: number; augmentSeed: number; progress?: boolean; label?: string };
export type EmbedStats = { requested: number; cached: number; computed: number };

/** Features [N, D] for the requests, in order, computing only the ones the cache lacks. */
export async function embedViews(b: Backbone, cache: FeatureCache, reqs: ViewRequest[], o: EmbedOptions): Promise<{ features: Float32Array; stats: EmbedStats }> {
  const D = b.dim;
  const S = b.meta.imageSize;
  const plane = 3 * S * S;
  const features = new Float32Array(reqs.length * D);
  const todo: number[] = [];
  for (const [i, r] of reqs.entries()) {
    const hit = cache.get(viewKey(r, o.augmentSeed));
    if (hit) features.set(hit, i * D);
    else todo.push(i);
  }
  const bs = o.batchSize ?? 16;
  const bar = o.progress && todo.length ? new SingleBar({ format: `${o.label ?? "embed"} [{bar}] {value}/{total} views | eta {eta}s`, clearOnComplete: false }, Presets.shades_classic) : undefined;
  bar?.start(todo.length, 0);
  for (let start = 0; start < todo.length; start += bs) {
    const idx = todo.slice(start, start + bs);
    const batch = new Float32Array(idx.length * plane);
    const tensors = await Promise.all(
      idx.map((i) => {
        const r = reqs[i]!;
        return r.view === "orig" ? preprocessImageFile(r.imageFile, b.meta) : augmentedTensor(r.imageFile, drawAugment(o.augmentSeed, r.contentHash, r.view), b.meta);
      }),
    );
    tensors.forEach((t, k) => batch.set(t, k * plane));
    const out = await b.session.run({ pixel_values: new ort.Tensor("float32", batch, [idx.length, 3, S, S]) });
    const f = out.features!.data as Float32Array;
    for (const [k, i] of idx.entries()) {
      const v = f.slice(k * D, (k + 1) * D);
      features.set(v, i * D);
      cache.set(viewKey(reqs[i]!, o.augmentSeed), v);
    }
    bar?.increment(idx.length);
    // Save now and then so a killed run resumes from the cache instead of starting over.
    if ((start / bs) % 64 === 63) cache.save();
  }
  bar?.stop();
  cache.save();
  return { features, stats: { requested: reqs.length, cached: reqs.length - todo.length, computed: todo.length } };
}
