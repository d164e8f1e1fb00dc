// Picks the runtime for the Identify page, once: our WebGPU engine where WebGPU works, else onnxruntime-web
// on the same ONNX file (its WebGPU EP, then wasm). Each refusal is kept with its reason for the page to show.
import type * as OrtTypes from "onnxruntime-web";
import { readOnnxModel } from "../vit/onnx/read.ts";
import { parseModelMeta, type ModelMeta } from "../vit/model-meta.ts";
import type { BackendName, BrowserClassifier, ImagePrediction } from "./classifier-types";

type Options = { disable?: BackendName[] };

function meanOverHeads(att: Float32Array, heads: number, tokens: number): Float32Array {
  // att: [H, N] class-token row of the last block; patch weights drop the class token itself.
  const out = new Float32Array(tokens - 1);
  for (let h = 0; h < heads; h++) for (let t = 1; t < tokens; t++) out[t - 1] += att[h * tokens + t] / heads;
  return out;
}

async function ourEngine(bytes: Uint8Array, meta: ModelMeta): Promise<(t: Float32Array) => Promise<ImagePrediction>> {
  if (typeof navigator === "undefined" || !("gpu" in navigator) || !navigator.gpu) throw new Error("navigator.gpu is missing");
  const [{ browserGpu }, { vitModelFromOnnx }, { VitEngine }] = await Promise.all([
    import("../gpu/device.ts"),
    import("../vit/model.ts"),
    import("../vit/engine.ts"),
  ]);
  const ctx = await browserGpu();
  const engine = await VitEngine.create(ctx, vitModelFromOnnx(bytes), { maxBatch: 1, attentionLayers: 1 });
  return async (tensor) => {
    const out = await engine.run(tensor, 1);
    const tokens = engine.tokens;
    return { probs: out.probs, patchAttention: out.clsAttention ? meanOverHeads(out.clsAttention, meta.numHeads, tokens) : null };
  };
}

async function onnxRuntime(bytes: Uint8Array, meta: ModelMeta, ep: "webgpu" | "wasm"): Promise<(t: Float32Array) => Promise<ImagePrediction>> {
  if (ep === "webgpu" && (typeof navigator === "undefined" || !navigator.gpu)) throw new Error("navigator.gpu is missing");
  const ort: typeof OrtTypes = await import("onnxruntime-web");
  ort.env.wasm.wasmPaths = "/ort/";
  ort.env.wasm.numThreads = globalThis.crossOriginIsolated ? Math.min(4, navigator.hardwareConcurrency || 1) : 1;
  const session = await ort.InferenceSession.create(bytes, { executionProviders: [ep], graphOptimizationLevel: "all" });
  const size = meta.imageSize;
  const wantAttention = session.outputNames.includes("cls_attention");
  return async (tensor) => {
    const input = new ort.Tensor("float32", tensor, [1, 3, size, size]);
    const out = await session.run({ [session.inputNames[0]]: input }, wantAttention ? ["probs", "cls_attention"] : ["probs"]);
    const probs = (await out.probs.getData()) as Float32Array;
    let patchAttention: Float32Array | null = null;
    if (wantAttention) {
      const att = (await out.cls_attention.getData()) as Float32Array;
      const tokens = att.length / meta.numHeads;
      patchAttention = meanOverHeads(att, meta.numHeads, tokens);
    }
    return { probs: Float32Array.from(probs), patchAttention };
  };
}

export async function loadBrowserClassifier(bytes: Uint8Array, opts: Options = {}): Promise<BrowserClassifier> {
  const props = readOnnxModel(bytes).metadata;
  const meta = parseModelMeta(props);
  const t = Number(props.abstain_threshold);
  const abstainThreshold = props.abstain_threshold !== undefined && Number.isFinite(t) ? t : undefined;
  const refusals: string[] = [];
  const chain: [BackendName, () => Promise<(t: Float32Array) => Promise<ImagePrediction>>][] = [
    ["webgpu-engine", () => ourEngine(bytes, meta)],
    ["ort-webgpu", () => onnxRuntime(bytes, meta, "webgpu")],
    ["ort-wasm", () => onnxRuntime(bytes, meta, "wasm")],
  ];
  for (const [backend, start] of chain) {
    if (opts.disable?.includes(backend)) {
      refusals.push(`${backend}: disabled`);
      continue;
    }
    try {
      const classify = await start();
      return { backend, refusals, meta, abstainThreshold, classify };
    } catch (e) {
      refusals.push(`${backend}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  throw new Error(`No backend could run the model (${refusals.join("; ")})`);
}
