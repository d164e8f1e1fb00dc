// Embeds views for fine-tuning: one onnxruntime-node pass per batch gives the class feature and the tokens entering
// the last block; LayerNorm-1 of that block (frozen) is applied here and stored in half precision.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { Presets, SingleBar } from "cli-progress";
import * as ort from "onnxruntime-node";
import { exportVitOnnx, BACKBONE_FILE } from "../../export-vit.ts";
import { readSafetensors } from "../../safetensors.ts";
import { loadVitWeights, type VitWeights } from "../../../lib/vit/weights.ts";
import type { ModelMeta } from "../../../lib/vit/model-meta.ts";
import { preprocessImageFile } from "../../../lib/vit/preprocess-node.ts";
import { mirrorNchw } from "../../../lib/vit/preprocess.ts";
import { backboneMeta, readImagenetLabels } from "../../export-vit.ts";
import { augmentedTensor, drawAugment, AUGMENT_VERSION } from "../augment.ts";
import { layerNorm } from "./math.ts";
import { encodeHalf } from "../../../lib/vit/onnx/half.ts";
import { TokenCache, type TokenRecord } from "./token-cache.ts";

/** What to embed: the centre crop, its mirror image (test-time augmentation), or augmented view i. */
export type TokenView = { contentHash: string; imageFile: string; view: "orig" | "flip" | number };

export type TokenBackbone = {
  session: ort.InferenceSession;
  meta: ModelMeta;
  weights: VitWeights;
  /** The block whose input is cached (the last one). */
  block: number;
  fingerprint: string;
  N: number;
  D: number;
};

export async function openTokenBackbone(backboneDir: string, threads = 2): Promise<TokenBackbone> {
  const labels = readImagenetLabels(backboneDir);
  const meta = backboneMeta(labels, "backbone-tokens");
  const block = meta.depth - 1;
  const bytes = exportVitOnnx({ backboneDir, modelId: "backbone-tokens", blockInputOf: block });
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: threads, interOpNumThreads: 1 });
  const tensors = readSafetensors(path.join(backboneDir, BACKBONE_FILE));
  const { weights } = loadVitWeights(tensors, { ...meta, numClasses: labels.length, numTokens: 197 });
  const fingerprint = createHash("sha256").update(readFileSync(path.join(backboneDir, BACKBONE_FILE))).digest("hex").slice(0, 16);
  return { session, meta, weights, block, fingerprint, N: (meta.imageSize / meta.patchSize) ** 2 + 1, D: meta.embedDim };
}

export const tokenCacheFile = (dir: string, b: TokenBackbone) => path.join(dir, `tokens-${b.fingerprint}-b${b.block}.bin`);

export function tokenKey(v: TokenView, seed: number): string {
  return typeof v.view === "number" ? `${v.contentHash}:aug${AUGMENT_VERSION}:${seed}:${v.view}` : `${v.contentHash}:${v.view}`;
}

async function tensorFor(v: TokenView, meta: ModelMeta, seed: number): Promise<Float32Array> {
  if (v.view === "orig") return preprocessImageFile(v.imageFile, meta);
  if (v.view === "flip") return mirrorNchw(await preprocessImageFile(v.imageFile, meta), meta.imageSize);
  return augmentedTensor(v.imageFile, drawAugment(seed, v.contentHash, v.view), meta);
}

export type TokenStats = { requested: number; cached: number; computed: number };

/** Records for every view, in order; only views the cache lacks are run through the backbone. */
export async function embedTokens(b: TokenBackbone, cache: TokenCache, views: TokenView[], o: { seed: number; batch?: number; progress?: boolean; label?: string }): Promise<{ records: TokenRecord[]; stats: TokenStats }> {
  const { N, D, meta } = b;
  const S = meta.imageSize;
  const plane = 3 * S * S;
  const out: (TokenRecord | undefined)[] = views.map((v) => cache.get(tokenKey(v, o.seed)));
  const todo = out.flatMap((r, i) => (r ? [] : [i]));
  const norm1 = b.weights.blocks[b.block]!.norm1;
  const bs = o.batch ?? 16;
  const bar = o.progress && todo.length ? new SingleBar({ format: `${o.label ?? "embed"} [{bar}] {value}/{total} views | eta {eta}s`, clearOnComplete: false }, Presets.shades_classic) : undefined;
  bar?.start(todo.length, 0);
  const row = new Float32Array(D);
  const xhat = new Float32Array(D);
  for (let start = 0; start < todo.length; start += bs) {
    const idx = todo.slice(start, start + bs);
    const batch = new Float32Array(idx.length * plane);
    const ts = await Promise.all(idx.map((i) => tensorFor(views[i]!, meta, o.seed)));
    ts.forEach((t, k) => batch.set(t, k * plane));
    const res = await b.session.run({ pixel_values: new ort.Tensor("float32", batch, [idx.length, 3, S, S]) }, ["features", "block_input"]);
    const feats = res.features!.data as Float32Array;
    const xs = res.block_input!.data as Float32Array;
    for (const [k, i] of idx.entries()) {
      const h = new Uint16Array(N * D);
      const base = k * N * D;
      for (let j = 0; j < N; j++) {
        layerNorm(xs, norm1.weight, norm1.bias, row, xhat, D, meta.layerNormEps, base + j * D);
        encodeHalf(row, h, j * D);
      }
      const rec: TokenRecord = { feat: feats.slice(k * D, (k + 1) * D), xcls: xs.slice(base, base + D), h };
      out[i] = rec;
      cache.set(tokenKey(views[i]!, o.seed), rec);
    }
    bar?.increment(idx.length);
    if ((start / bs) % 16 === 15) cache.flush();
  }
  bar?.stop();
  cache.flush();
  return { records: out as TokenRecord[], stats: { requested: views.length, cached: views.length - todo.length, computed: todo.length } };
}
