// The one place that picks the inference backend in the browser (STYLE.md #9): our WebGPU engine when WebGPU works,
// else onnxruntime-web on the same ONNX file (WebGPU EP, then wasm). Features are probed once; every refusal is
// kept with its reason so the page can say why it runs slower.
import { browserGpu, adapterName, type GpuContext } from "../gpu/device.ts";
import { VitEngine } from "./engine.ts";
import { vitModelFromOnnx } from "./model.ts";
import { parseModelMeta, type ModelMeta } from "./model-meta.ts";
import { readOnnxModel } from "./onnx/read.ts";
import { readStream } from "../bytes.ts";

export type BackendName = "webgpu-engine" | "ort-webgpu" | "ort-wasm";
export const BACKEND_ORDER: readonly BackendName[] = ["webgpu-engine", "ort-webgpu", "ort-wasm"];

export type ClassifyResult = {
  probs: Float32Array; // [C], softmax(logits / temperature)
  logits: Float32Array; // [C]
  features: Float32Array; // [D], final LayerNorm of the class token
  /** [H, N]: the class token's attention weights in the last block (row 0 is itself; 1.. are the patches). */
  attention: Float32Array | null;
  ms: number;
};

export type Progress = { phase: "download" | "init"; loaded: number; total: number | null };

export type LoadOptions = {
  onProgress?: (p: Progress) => void;
  /** Backends to try, in order (default all three). */
  backends?: readonly BackendName[];
  /** Where onnxruntime-web's .wasm files are served (default "/ort/"). */
  ortWasmPaths?: string;
};

export type Classifier = {
  backend: BackendName;
  /** Backends tried before this one and why each was refused. */
  refused: { backend: BackendName; reason: string }[];
  meta: ModelMeta;
  /** Adapter description (WebGPU backends). */
  adapter: string | null;
  /** image: [1, 3, S, S] from imageToTensor(). */
  classify(image: Float32Array): Promise<ClassifyResult>;
  dispose(): void;
};

type Ort = typeof import("onnxruntime-web");

let gpuProbe: Promise<{ ok: true } | { ok: false; reason: string }> | undefined;

/** Does this page have a usable WebGPU adapter? Asked once per page. */
export function probeWebGpu(): Promise<{ ok: true } | { ok: false; reason: string }> {
  gpuProbe ??= (async () => {
    const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
    if (!gpu) return { ok: false as const, reason: "navigator.gpu is missing (no WebGPU in this browser, or not a secure context)" };
    try {
      const adapter = await gpu.requestAdapter();
      return adapter ? { ok: true as const } : { ok: false as const, reason: "navigator.gpu.requestAdapter() returned null (no usable GPU adapter)" };
    } catch (e) {
      return { ok: false as const, reason: `requestAdapter failed: ${(e as Error).message}` };
    }
  })();
  return gpuProbe;
}

async function download(url: string, onProgress?: (p: Progress) => void): Promise<Uint8Array> {
  const res = await fetch(url);
  if (!res.ok || !res.body) throw new Error(`loadClassifier: GET ${url} answered ${res.status}`);
  const total = Number(res.headers.get("content-length")) || null;
  return readStream(res.body, (loaded) => onProgress?.({ phase: "download", loaded, total }));
}

function checkImage(meta: ModelMeta, image: Float32Array): void {
  const want = 3 * meta.imageSize * meta.imageSize;
  if (image.length !== want) throw new Error(`classify: image has ${image.length} floats, expected [1, 3, ${meta.imageSize}, ${meta.imageSize}] = ${want}`);
}

async function engineBackend(bytes: Uint8Array): Promise<Omit<Classifier, "refused">> {
  const ctx: GpuContext = await browserGpu();
  try {
    const model = vitModelFromOnnx(bytes);
    const engine = await VitEngine.create(ctx, model, { maxBatch: 1, attentionLayers: 1 });
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
        return { probs: r.probs, logits: r.logits, features: r.features, attention: r.clsAttention ? r.clsAttention.subarray(r.clsAttention.length - hn) : null, ms };
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

async function ortBackend(bytes: Uint8Array, ep: "webgpu" | "wasm", wasmPaths: string): Promise<Omit<Classifier, "refused">> {
  const ort: Ort = await import("onnxruntime-web");
  ort.env.wasm.wasmPaths = wasmPaths;
  if (!globalThis.crossOriginIsolated) ort.env.wasm.numThreads = 1; // threads need COOP/COEP
  const meta = parseModelMeta(readOnnxModel(bytes).metadata);
  const session = await ort.InferenceSession.create(bytes, { executionProviders: [ep], graphOptimizationLevel: "all" });
  const S = meta.imageSize;
  return {
    backend: ep === "webgpu" ? "ort-webgpu" : "ort-wasm",
    meta,
    adapter: null,
    async classify(image) {
      checkImage(meta, image);
      const t0 = performance.now();
      const out = await session.run({ pixel_values: new ort.Tensor("float32", image, [1, 3, S, S]) });
      const get = async (name: string) => (await out[name]!.getData()) as Float32Array;
      const [probs, logits, features, attention] = await Promise.all([get("probs"), get("logits"), get("features"), get("cls_attention")]);
      return { probs, logits, features, attention, ms: performance.now() - t0 };
    },
    dispose() {
      void session.release();
    },
  };
}

/** Downloads the model once and returns a classifier on the first backend that works. */
export async function loadClassifier(modelUrl: string, opts: LoadOptions = {}): Promise<Classifier> {
  return classifierFromBytes(await download(modelUrl, opts.onProgress), opts);
}

/** A classifier on the first backend that works, for model bytes the caller already has (e.g. from a cache). */
export async function classifierFromBytes(bytes: Uint8Array, opts: LoadOptions = {}): Promise<Classifier> {
  const refused: Classifier["refused"] = [];
  for (const backend of opts.backends ?? BACKEND_ORDER) {
    opts.onProgress?.({ phase: "init", loaded: refused.length, total: (opts.backends ?? BACKEND_ORDER).length });
    try {
      if (backend !== "ort-wasm") {
        const probe = await probeWebGpu();
        if (!probe.ok) throw new Error(probe.reason);
      }
      const c =
        backend === "webgpu-engine" ? await engineBackend(bytes) : await ortBackend(bytes, backend === "ort-webgpu" ? "webgpu" : "wasm", opts.ortWasmPaths ?? "/ort/");
      return { ...c, refused };
    } catch (e) {
      refused.push({ backend, reason: (e as Error).message });
    }
  }
  throw new Error(`loadClassifier: no backend works: ${refused.map((r) => `${r.backend}: ${r.reason}`).join("; ")}`);
}
