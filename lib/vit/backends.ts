// The three inference backends behind one shape. Which one runs is decided in classifier.ts (STYLE.md #9).
import { browserGpu, adapterName, type GpuContext } from "../gpu/device.ts";
import { VitEngine } from "./engine.ts";
import { vitModelFromOnnx } from "./model.ts";
import { parseModelMeta, type ModelMeta } from "./model-meta.ts";
import { readOnnxModel } from "./onnx/read.ts";

export type BackendName = "webgpu-engine" | "ort-webgpu" | "ort-wasm";
export const BACKEND_ORDER: readonly BackendName[] = ["webgpu-engine", "ort-webgpu", "ort-wasm"];

export function isBackendName(s: string): s is BackendName {
  return (BACKEND_ORDER as readonly string[]).includes(s);
}

export type ClassifyResult = {
  probs: Float32Array; // [C], softmax(logits / temperature)
  logits: Float32Array; // [C]
  features: Float32Array; // [D], final LayerNorm of the class token
  /** [H, N]: the class token's attention weights in the last block (row 0 is itself; 1.. are the patches). */
  attention: Float32Array | null;
  /** [N], sums to 1: attention rollout of the class token over all blocks (lib/identify/attention-map.ts draws it). */
  rollout: Float32Array | null;
  ms: number;
};

/** A loaded backend: classify() takes [1, 3, S, S] from imageToTensor(). */
export type Backend = {
  backend: BackendName;
  meta: ModelMeta;
  /** Adapter description (our engine only). */
  adapter: string | null;
  classify(image: Float32Array): Promise<ClassifyResult>;
  dispose(): void;
};

function checkImage(meta: ModelMeta, image: Float32Array): void {
  const want = 3 * meta.imageSize * meta.imageSize;
  if (image.length !== want) throw new Error(`classify: image has ${image.length} floats, expected [1, 3, ${meta.imageSize}, ${meta.imageSize}] = ${want}`);
}

export async function engineBackend(bytes: Uint8Array): Promise<Backend> {
  const ctx: GpuContext = await browserGpu();
  try {
    const model = vitModelFromOnnx(bytes);
    const engine = await VitEngine.create(ctx, model, { maxBatch: 1, attentionLayers: 1, rollout: true });
    const hn = model.meta.numHeads * engine.tokens;
    return {
      backend: "webgpu-engine",
      meta: model.meta,
      adapter: adapterName(ctx.adapter),
      async classify(image) {
        checkImage(model.meta, image);
        const t0 = performance.now();
        const r = await engine.run(image, 1);
        const ms = performance.now() - t0;
        const attention = r.clsAttention ? r.clsAttention.subarray(r.clsAttention.length - hn) : null;
        return { probs: r.probs, logits: r.logits, features: r.features, attention, rollout: r.rollout, ms };
      },
      dispose() {
        engine.destroy();
        ctx.destroy();
      },
    };
  } catch (e) {
    ctx.destroy();
    throw e;
  }
}

type Ort = typeof import("onnxruntime-web");

export async function ortBackend(bytes: Uint8Array, ep: "webgpu" | "wasm", wasmPaths: string): Promise<Backend> {
  const ort: Ort = await import("onnxruntime-web");
  ort.env.wasm.wasmPaths = wasmPaths;
  if (!globalThis.crossOriginIsolated) ort.env.wasm.numThreads = 1; // threads need COOP/COEP
  const meta = parseModelMeta(readOnnxModel(bytes).metadata);
  const session = await ort.InferenceSession.create(bytes, { executionProviders: [ep], graphOptimizationLevel: "all" });
  const S = meta.imageSize;
  // Models exported before the rollout output existed still classify; they just have no map.
  const hasRollout = session.outputNames.includes("cls_rollout");
  return {
    backend: ep === "webgpu" ? "ort-webgpu" : "ort-wasm",
    meta,
    adapter: null,
    async classify(image) {
      checkImage(meta, image);
      const t0 = performance.now();
      const out = await session.run({ pixel_values: new ort.Tensor("float32", image, [1, 3, S, S]) });
      const get = async (name: string) => (await out[name]!.getData()) as Float32Array;
      const [probs, logits, features, attention, rollout] = await Promise.all([
        get("probs"),
        get("logits"),
        get("features"),
        get("cls_attention"),
        hasRollout ? get("cls_rollout") : Promise.resolve(null),
      ]);
      return { probs, logits, features, attention, rollout, ms: performance.now() - t0 };
    },
    dispose() {
      void session.release();
    },
  };
}
