// Node entry for the device layer (the `webgpu` package: Dawn). Never import this from browser code.
import { create, globals } from "webgpu";
import { settings } from "../settings.ts";
import { createGpuContext, type GpuContext, type GpuContextOptions } from "./device.ts";

let installed = false;

/**
 * A context on Dawn in Node. The WebGPU globals (GPUBufferUsage, ...) are installed once. Validate mode defaults to the
 * GPU_VALIDATE setting. With no GPU driver, set VK_ICD_FILENAMES to SwiftShader's ICD (vitest.config.ts does).
 */
export async function nodeGpu(opts: GpuContextOptions & { dawnOptions?: string[] } = {}): Promise<GpuContext> {
  if (!installed) {
    Object.assign(globalThis, globals);
    installed = true;
  }
  const gpu = create(opts.dawnOptions ?? []);
  return createGpuContext(gpu, { validate: settings().gpuValidate, ...opts });
}
