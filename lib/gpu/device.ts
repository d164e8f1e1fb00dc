// The GPU device layer shared by attention and the ViT engine. Browser-safe: nothing here imports Node modules.
// In Node, get a context from ./node.ts; in the browser, from browserGpu() below.
import { GpuAllocator } from "./buffers.ts";
import { ProgramCache } from "./program.ts";

export interface AdapterSummary {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** True for CPU/software adapters such as SwiftShader (timings there say nothing about a real GPU). */
  isSoftware: boolean;
  /** The adapter's optional features (e.g. "timestamp-query", "shader-f16"), sorted. */
  features: string[];
}

export interface GpuContextOptions {
  /** Re-run ops through the float64 reference and assert closeness (STYLE.md #6). */
  validate?: boolean;
  /** Ask for the adapter's largest buffer limits instead of the WebGPU defaults (used by the benchmark). */
  maxLimits?: boolean;
  /** Ask for timestamp-query when the adapter has it (GPU time of compute passes; see ctx.hasTimestampQuery). */
  timestampQuery?: boolean;
  /** Keep every limit at the WebGPU default (16 KiB workgroup storage, 256 invocations), as the weakest adapter has. */
  defaultLimits?: boolean;
  powerPreference?: GPUPowerPreference;
}

export interface GpuContext {
  /** The GPU object the device came from; held so that Dawn's instance outlives the device (it crashes otherwise). */
  gpu: GPU;
  device: GPUDevice;
  adapter: AdapterSummary;
  limits: GPUSupportedLimits;
  /** The device has timestamp-query enabled (asked for with timestampQuery and offered by the adapter). */
  hasTimestampQuery: boolean;
  validate: boolean;
  alloc: GpuAllocator;
  programs: ProgramCache;
  /** Records the command buffer(s) and submits them, then throws any error that a deferred check caught. */
  submit(encoders: GPUCommandEncoder | GPUCommandEncoder[]): Promise<void>;
  /** Waits for deferred validation checks (bind groups, uncaptured errors) and throws the first one. */
  checkErrors(): Promise<void>;
  /** A deferred check registered by the program layer; checkErrors() awaits it. */
  defer(check: Promise<Error | null>): void;
  destroy(): void;
}

/** Vendor strings of CPU implementations of WebGPU (SwiftShader, Mesa's llvmpipe/lavapipe, WARP). */
const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|software|microsoft basic render|\bwarp\b|\bcpu\b/;

/** What an adapter says about itself; isFallbackAdapter (or adapter.info.isFallbackAdapter) also marks software. */
export function summarizeAdapter(adapter: GPUAdapter): AdapterSummary {
  const a = adapter as GPUAdapter & { isFallbackAdapter?: boolean; info?: GPUAdapterInfo & { isFallbackAdapter?: boolean } };
  const fallback = a.isFallbackAdapter === true || a.info?.isFallbackAdapter === true;
  return summarize(a.info, fallback, [...adapter.features].map(String).sort());
}

function summarize(info: GPUAdapterInfo | undefined, isFallback: boolean, features: string[]): AdapterSummary {
  const vendor = info?.vendor ?? "";
  const architecture = info?.architecture ?? "";
  const device = info?.device ?? "";
  const description = info?.description ?? "";
  const text = `${vendor} ${architecture} ${device} ${description}`.toLowerCase();
  return { vendor, architecture, device, description, isSoftware: isFallback || SOFTWARE.test(text), features };
}

/** One-line name of an adapter for tables and result files. */
export function adapterName(a: AdapterSummary): string {
  const parts = [a.vendor, a.architecture, a.description || a.device].filter((s) => s !== "");
  return (parts.join(" / ") || "unknown adapter") + (a.isSoftware ? " (software adapter)" : "");
}

/** Opens a device on the given navigator.gpu-like object (browser or the `webgpu` package). */
export async function createGpuContext(gpu: GPU, opts: GpuContextOptions = {}): Promise<GpuContext> {
  const adapter = await gpu.requestAdapter({ powerPreference: opts.powerPreference ?? "high-performance" });
  if (!adapter) throw new Error("WebGPU: no adapter available (is a Vulkan/Metal/D3D12 driver or SwiftShader installed?)");
  const requiredLimits: Record<string, number> = opts.defaultLimits ? {} : {
    maxComputeWorkgroupStorageSize: adapter.limits.maxComputeWorkgroupStorageSize,
    maxComputeInvocationsPerWorkgroup: adapter.limits.maxComputeInvocationsPerWorkgroup,
    maxComputeWorkgroupSizeX: adapter.limits.maxComputeWorkgroupSizeX,
    maxStorageBuffersPerShaderStage: adapter.limits.maxStorageBuffersPerShaderStage,
  };
  if (opts.maxLimits) {
    requiredLimits.maxBufferSize = adapter.limits.maxBufferSize;
    requiredLimits.maxStorageBufferBindingSize = adapter.limits.maxStorageBufferBindingSize;
  }
  const timestamps = (opts.timestampQuery ?? false) && adapter.features.has("timestamp-query");
  const device = await adapter.requestDevice({
    requiredFeatures: timestamps ? ["timestamp-query"] : [],
    requiredLimits,
  });
  const errors: Promise<Error | null>[] = [];
  const uncaptured: Error[] = [];
  device.addEventListener("uncapturederror", (ev) => {
    uncaptured.push(new Error(`WebGPU uncaptured error: ${(ev as GPUUncapturedErrorEvent).error.message}`));
  });
  let ctx: GpuContext;
  const checkErrors = async () => {
    const pending = errors.splice(0);
    const found = (await Promise.all(pending)).filter((e): e is Error => e !== null);
    const all = [...found, ...uncaptured.splice(0)];
    if (all.length > 0) throw all[0];
  };
  ctx = {
    gpu,
    device,
    adapter: summarizeAdapter(adapter),
    limits: device.limits,
    hasTimestampQuery: timestamps,
    validate: opts.validate ?? false,
    alloc: undefined as unknown as GpuAllocator,
    programs: undefined as unknown as ProgramCache,
    async submit(encoders) {
      const list = Array.isArray(encoders) ? encoders : [encoders];
      device.queue.submit(list.map((e) => e.finish()));
      await checkErrors();
    },
    checkErrors,
    defer(check) {
      errors.push(check);
    },
    destroy() {
      ctx.alloc.destroyAll();
      device.destroy();
    },
  };
  ctx.alloc = new GpuAllocator(device);
  ctx.programs = new ProgramCache(ctx);
  return ctx;
}

/** Browser entry: a context on navigator.gpu. */
export async function browserGpu(opts: GpuContextOptions = {}): Promise<GpuContext> {
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  if (!gpu) throw new Error("WebGPU: navigator.gpu is missing (browser without WebGPU, or not a secure context)");
  return createGpuContext(gpu, opts);
}
