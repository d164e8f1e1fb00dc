// Node entry for the device layer (the `webgpu` package: Dawn). Never import this from browser code.
import { existsSync } from "node:fs";
import { create, globals } from "webgpu";
import { settings } from "../settings.ts";
import { createGpuContext, type GpuContext, type GpuContextOptions } from "./device.ts";

let installed = false;

/**
 * A context on Dawn in Node. The WebGPU globals (GPUBufferUsage, ...) are installed once. Validate mode defaults to the
 * GPU_VALIDATE setting. When Dawn finds no GPU driver, it retries once on the software Vulkan driver named by
 * GPU_FALLBACK_ICD (Chromium's SwiftShader), so tests and the benchmark run on machines without a GPU; the adapter then
 * reports isSoftware.
 */
export async function nodeGpu(opts: GpuContextOptions & { dawnOptions?: string[] } = {}): Promise<GpuContext> {
  if (!installed) {
    Object.assign(globalThis, globals);
    installed = true;
  }
  const { gpuValidate, gpuFallbackIcd } = settings();
  const options = { validate: gpuValidate, ...opts };
  const gpu = create(opts.dawnOptions ?? []);
  if ((await gpu.requestAdapter()) === null && gpuFallbackIcd !== "" && existsSync(gpuFallbackIcd)) {
    // Dawn's Vulkan loader reads the ICD list from the environment when a new instance is created.
    process.env.VK_ICD_FILENAMES = gpuFallbackIcd;
    return createGpuContext(create(opts.dawnOptions ?? []), options);
  }
  return createGpuContext(gpu, options);
}
