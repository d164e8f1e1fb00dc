// The server path: the same ONNX model run by onnxruntime-node, for clients without WebGPU or JavaScript.
import { readFile } from "node:fs/promises";
import * as ort from "onnxruntime-node";
import { readOnnxModel } from "../vit/onnx/read.ts";
import { parseModelMeta, type ModelMeta } from "../vit/model-meta.ts";
import { preprocessImageFile } from "../vit/preprocess-node.ts";
import { combinePhotoProbs } from "./combine";
import { shippedModel } from "./shipped-model";

type Loaded = { session: ort.InferenceSession; meta: ModelMeta; modelFile: string };
let loading: Promise<Loaded> | undefined;

async function load(): Promise<Loaded> {
  const model = shippedModel();
  if (!model) throw new Error("No model in public/models: run `npm run model:export`");
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
  loading ??= load().catch((e) => {
    loading = undefined; // let a later request retry (e.g. after the model is exported)
    throw e;
  });
  return loading;
}

export type ServerPrediction = { labels: string[]; probs: Float64Array; ms: number; modelId: string; abstainThreshold?: number };

/** Classify the photos of one find; each buffer must already be validated as an image. */
export async function classifyOnServer(images: readonly Buffer[]): Promise<ServerPrediction> {
  const { session, meta } = await serverModel();
  const t0 = performance.now();
  const perPhoto: Float32Array[] = [];
  for (const img of images) {
    const pixels = await preprocessImageFile(img, meta);
    const input = new ort.Tensor("float32", pixels, [1, 3, meta.imageSize, meta.imageSize]);
    const out = await session.run({ [session.inputNames[0]]: input }, ["probs"]);
    perPhoto.push(out.probs.data as Float32Array);
  }
  return { labels: meta.labels, probs: combinePhotoProbs(perPhoto), ms: performance.now() - t0, modelId: meta.modelId, abstainThreshold: meta.abstainThreshold };
}
