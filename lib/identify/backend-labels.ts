import type { BackendName } from "../vit/classifier.ts";

/** How the Identify page names each runtime. */
export const BACKEND_LABELS: Record<BackendName, string> = {
  "webgpu-engine": "our WebGPU engine (FlashAttention kernels)",
  "ort-webgpu": "onnxruntime-web (WebGPU)",
  "ort-wasm": "onnxruntime-web (WebAssembly, CPU)",
};
