import type { BackendName } from "../vit/classifier.ts";

/** How the Identify page names each runtime. */
export const BACKEND_LABELS: Record<BackendName, string> = {
  "webgpu-engine": "our WebGPU engine (FlashAttention kernels)",
  "ort-webgpu": "onnxruntime-web (WebGPU)",
  "ort-wasm": "onnxruntime-web (WebAssembly, CPU)",
};

/** Class-token attention of the last block [H, N] -> one weight per patch, averaged over heads (token 0 dropped). */
export function patchAttention(att: Float32Array, heads: number): Float32Array {
  const tokens = att.length / heads;
  const out = new Float32Array(tokens - 1);
  for (let h = 0; h < heads; h++) for (let t = 1; t < tokens; t++) out[t - 1] += att[h * tokens + t] / heads;
  return out;
}
