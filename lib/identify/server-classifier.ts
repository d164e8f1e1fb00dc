// The server path: the same ONNX model run by onnxruntime-node, for clients without WebGPU or JavaScript.
import { readFile } from "node:fs/promises";
import * as ort from "onnxruntime-node";
import { readOnnxModel } from "../vit/onnx/read.ts";
import { parseModelMeta, type ModelMeta } from "../vit/model-meta.ts";
import { preprocessImageFile } from "../vit/preprocess-node.ts";
import { statSync } from "node:fs";
import { classifyPhoto } from "./classify-photo";
import { fusedLabels, fuseWithPrototypes, type PrototypeSet } from "./prototypes";
import { shippedModelFile } from "./shipped-model";
import pLimit, { type LimitFunction } from "p-limit";
import { settings } from "../settings";

type Loaded = { session: ort.InferenceSession; meta: ModelMeta; modelFile: string };
let loading: { key: string; model: Promise<Loaded> } | undefined;

/** Which file is served and which version of it (a replaced model reloads on the next request). */
function currentKey(): { file: string; name: string; key: string } {
  const model = shippedModelFile();
  if (!model) throw new Error("No model in public/models: run `npm run prepare:models`");
  const st = statSync(model.file);
  return { ...model, key: `${model.file}:${st.size}:${st.mtimeMs}` };
}

async function load(model: { file: string; name: string }): Promise<Loaded> {
  const bytes = await readFile(model.file);
  const meta = parseModelMeta(readOnnxModel(bytes).metadata);
  const session = await ort.InferenceSession.create(bytes, { graphOptimizationLevel: "all", intraOpNumThreads: 2 });
  return {
    session,
    meta,
    modelFile: model.name,
  };
}

export function serverModel(): Promise<Loaded> {
  const now = currentKey();
  if (loading?.key !== now.key) {
    const model = load(now);
    loading = { key: now.key, model };
    model.catch(() => {
      if (loading?.model === model) loading = undefined; // let a later request retry
    });
  }
  return loading.model;
}

export type ServerPrediction = {
  labels: string[];
  perPhoto: Float32Array[];
  /** Each photo's class feature (centre crop), for the prototype head; null when the model has no such output. */
  features: (Float32Array | null)[];
  ms: number;
  modelId: string;
  abstainThreshold?: number;
};

/** The prediction fused with the served prototype head: labels extended with taxa only prototypes know. */
export function withPrototypes(pred: ServerPrediction, set: PrototypeSet | null): ServerPrediction {
  if (!set) return pred;
  return {
    ...pred,
    labels: fusedLabels(pred.labels, set),
    perPhoto: pred.perPhoto.map((p, i) => fuseWithPrototypes(pred.labels, p, pred.features[i] ?? null, set)),
  };
}

/** Thrown when more classifications wait than CLASSIFY_QUEUE allows: the route answers 503 with Retry-After. */
export class ServerBusy extends Error {}

const g = globalThis as unknown as { classifyGate?: LimitFunction };
function gate(): LimitFunction {
  g.classifyGate ??= pLimit(settings().classifyConcurrency);
  return g.classifyGate;
}

/**
 * Classify the photos of one find; each buffer must already be validated as an image. At most CLASSIFY_CONCURRENCY
 * finds run at once (decoding and inference hold memory); beyond CLASSIFY_QUEUE waiting, refuse rather than pile up.
 */
export async function classifyOnServer(images: readonly Buffer[]): Promise<ServerPrediction> {
  const limit = gate();
  if (limit.pendingCount >= settings().classifyQueue) throw new ServerBusy(`${limit.activeCount} running and ${limit.pendingCount} waiting`);
  return limit(() => classifyNow(images));
}

async function classifyNow(images: readonly Buffer[]): Promise<ServerPrediction> {
  const { session, meta } = await serverModel();
  const t0 = performance.now();
  const perPhoto: Float32Array[] = [];
  const features: (Float32Array | null)[] = [];
  const wantFeatures = session.outputNames.includes("features");
  for (const img of images) {
    const pixels = await preprocessImageFile(img, meta);
    const run = async (x: Float32Array) => {
      const out = await session.run({ [session.inputNames[0]!]: new ort.Tensor("float32", x, [1, 3, meta.imageSize, meta.imageSize]) }, wantFeatures ? ["probs", "features"] : ["probs"]);
      return { probs: out.probs!.data as Float32Array, features: wantFeatures ? (out.features!.data as Float32Array) : null };
    };
    const p = await classifyPhoto(meta, run, pixels);
    perPhoto.push(p.probs);
    features.push(p.features);
  }
  return { labels: meta.labels, perPhoto, features, ms: performance.now() - t0, modelId: meta.modelId, abstainThreshold: meta.abstainThreshold };
}
