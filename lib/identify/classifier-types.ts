// What the Identify page needs from whichever runtime runs the model in the browser.
import type { ModelMeta } from "../vit/model-meta.ts";

export type BackendName = "webgpu-engine" | "ort-webgpu" | "ort-wasm";

export const BACKEND_LABELS: Record<BackendName, string> = {
  "webgpu-engine": "our WebGPU engine (FlashAttention kernels)",
  "ort-webgpu": "onnxruntime-web (WebGPU)",
  "ort-wasm": "onnxruntime-web (WebAssembly, CPU)",
};

export type ImagePrediction = {
  /** Calibrated class probabilities. */
  probs: Float32Array;
  /** Class-token attention of the last block averaged over heads, one weight per patch (grid x grid); null if unavailable. */
  patchAttention: Float32Array | null;
};

export type BrowserClassifier = {
  backend: BackendName;
  /** Why faster backends were not used, e.g. "webgpu-engine: navigator.gpu is missing". */
  refusals: string[];
  meta: ModelMeta;
  abstainThreshold?: number;
  classify(tensor: Float32Array): Promise<ImagePrediction>;
};
