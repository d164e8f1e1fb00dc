// onnxruntime-web in Node (no browser): its WebGPU execution provider on Dawn (the `webgpu` package) and its wasm one.
//
// Why the WebGPU EP failed under Node + Dawn with "Invalid argument": onnxruntime-web 1.30's WebGPU EP is C++ compiled
// to a threaded wasm module whose memory is a SharedArrayBuffer, and it uploads every tensor with
//   GPUQueue.writeBuffer(buffer, offset, HEAPU8.subarray(ptr, ptr + size), 0, size)
// (the `ie` import of dist/ort-wasm-simd-threaded.asyncify.mjs). Browsers accept a view on a SharedArrayBuffer there;
// Dawn's Node bindings do not and throw "Invalid argument" (the first upload, during InferenceSession.create, right
// after the first Transpose shader is built). copySharedViewsInWriteBuffer() wraps writeBuffer to copy such views into
// an ordinary ArrayBuffer first; with it the session is created and runs, and its logits match the float64 reference.
import path from "node:path";
import { pathToFileURL } from "node:url";

type Ort = typeof import("onnxruntime-web");

/** onnxruntime-web's WebGPU EP looks for navigator.gpu; Node 20 has no navigator, Node 21+ has one without gpu. */
export function exposeNavigatorGpu(gpu: GPU): void {
  const g = globalThis as { navigator?: object };
  if (g.navigator === undefined) Object.defineProperty(globalThis, "navigator", { value: { gpu }, configurable: true, writable: true });
  else Object.defineProperty(g.navigator, "gpu", { value: gpu, configurable: true });
}

let patched = false;

/** The fix described above; idempotent. Needs the WebGPU globals (GPUQueue) installed. */
export function copySharedViewsInWriteBuffer(): void {
  if (patched) return;
  patched = true;
  const original = GPUQueue.prototype.writeBuffer;
  GPUQueue.prototype.writeBuffer = function (this: GPUQueue, buffer: GPUBuffer, offset: GPUSize64, data: BufferSource | SharedArrayBuffer, dataOffset?: GPUSize64, size?: GPUSize64) {
    const shared = typeof SharedArrayBuffer !== "undefined" && (data instanceof SharedArrayBuffer || (ArrayBuffer.isView(data) && data.buffer instanceof SharedArrayBuffer));
    if (!shared) return original.call(this, buffer, offset, data as BufferSource, dataOffset, size);
    // dataOffset and size count elements of a typed array, bytes otherwise (WebGPU spec).
    const view = ArrayBuffer.isView(data) ? data : new Uint8Array(data);
    const element = "BYTES_PER_ELEMENT" in view ? (view as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT : 1;
    const start = Number(dataOffset ?? 0) * element;
    const bytes = size === undefined ? view.byteLength - start : Number(size) * element;
    const copy = new Uint8Array(bytes);
    copy.set(new Uint8Array(view.buffer, view.byteOffset + start, bytes));
    return original.call(this, buffer, offset, copy, 0, bytes);
  };
}

export const DEFAULT_ORT_DIST = path.join(import.meta.dirname, "..", "..", "node_modules", "onnxruntime-web", "dist");

/**
 * onnxruntime-web's own build for an execution provider, loaded from its dist folder (not bundled, so a bundled
 * benchmark can carry the folder): ort.webgpu.min.mjs (WebGPU EP, asyncify wasm) or ort.wasm.min.mjs (CPU).
 */
export async function loadOrtWeb(ep: "webgpu" | "wasm", dist = DEFAULT_ORT_DIST, numThreads = 1): Promise<Ort> {
  const file = ep === "webgpu" ? "ort.webgpu.min.mjs" : "ort.wasm.min.mjs";
  const ort = (await import(pathToFileURL(path.join(dist, file)).href)) as Ort;
  ort.env.wasm.wasmPaths = `${dist}${path.sep}`;
  ort.env.wasm.numThreads = numThreads;
  return ort;
}
