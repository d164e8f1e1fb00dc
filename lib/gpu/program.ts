// Programs (WGSL + bindings + dispatch), the pipeline cache, and error scopes that name the failing stage.
import type { GpuContext } from "./device.ts";

export type BindingKind = "uniform" | "read-only-storage" | "storage";

export interface ProgramBinding {
  name: string;
  kind: BindingKind;
}

/** What every kernel module builds from its typed parameters (STYLE.md #2). */
export interface Program {
  name: string;
  /** Everything the WGSL depends on; programs with equal keys share one pipeline. */
  cacheKey: string;
  wgsl: string;
  /** In binding-number order, as handed out by Bindings. */
  bindings: ProgramBinding[];
  workgroupSize: [number, number, number];
  /** Workgroup counts for dispatchWorkgroups. */
  dispatch: [number, number, number];
}

/** Hands out binding numbers for group 0 and writes the WGSL declarations, so no number is typed by hand. */
export class Bindings {
  readonly list: ProgramBinding[] = [];
  private lines: string[] = [];

  add(name: string, kind: BindingKind, wgslType: string): this {
    const n = this.list.length;
    const space = kind === "uniform" ? "uniform" : kind === "storage" ? "storage, read_write" : "storage, read";
    this.lines.push(`@group(0) @binding(${n}) var<${space}> ${name}: ${wgslType};`);
    this.list.push({ name, kind });
    return this;
  }

  get wgsl(): string {
    return this.lines.join("\n");
  }
}

/** Throws when a workgroup size exceeds the device's limits. */
export function checkWorkgroupSize(limits: GPUSupportedLimits, name: string, [x, y, z]: [number, number, number]): void {
  const problems: string[] = [];
  if (x > limits.maxComputeWorkgroupSizeX) problems.push(`x=${x} > maxComputeWorkgroupSizeX ${limits.maxComputeWorkgroupSizeX}`);
  if (y > limits.maxComputeWorkgroupSizeY) problems.push(`y=${y} > maxComputeWorkgroupSizeY ${limits.maxComputeWorkgroupSizeY}`);
  if (z > limits.maxComputeWorkgroupSizeZ) problems.push(`z=${z} > maxComputeWorkgroupSizeZ ${limits.maxComputeWorkgroupSizeZ}`);
  if (x * y * z > limits.maxComputeInvocationsPerWorkgroup) {
    problems.push(`${x * y * z} invocations > maxComputeInvocationsPerWorkgroup ${limits.maxComputeInvocationsPerWorkgroup}`);
  }
  if (problems.length > 0) throw new Error(`${name}: workgroup size ${x}x${y}x${z} not supported: ${problems.join("; ")}`);
}

/** Throws when a dispatch exceeds maxComputeWorkgroupsPerDimension. */
function checkDispatch(limits: GPUSupportedLimits, name: string, dispatch: [number, number, number]): void {
  const max = limits.maxComputeWorkgroupsPerDimension;
  if (dispatch.some((n) => n > max)) throw new Error(`${name}: dispatch ${dispatch.join("x")} exceeds maxComputeWorkgroupsPerDimension ${max}`);
}

function formatMessages(info: GPUCompilationInfo, wgsl: string): string {
  const lines = wgsl.split("\n");
  return info.messages
    .map((m) => `${m.type} at line ${m.lineNum}:${m.linePos}: ${m.message}\n    ${lines[m.lineNum - 1]?.trim() ?? ""}`)
    .join("\n");
}

interface Compiled {
  pipeline: GPUComputePipeline;
  layout: GPUBindGroupLayout;
}

const visibility = 4; // GPUShaderStage.COMPUTE (a literal so this module needs no WebGPU globals at import time)

/** Compiles each program once per cacheKey, inside error scopes (STYLE.md #3). */
export class ProgramCache {
  private compiled = new Map<string, Promise<Compiled>>();

  constructor(private readonly ctx: GpuContext) {}

  get size(): number {
    return this.compiled.size;
  }

  get(program: Program): Promise<Compiled> {
    let p = this.compiled.get(program.cacheKey);
    if (!p) {
      p = this.compile(program);
      p.catch(() => this.compiled.delete(program.cacheKey));
      this.compiled.set(program.cacheKey, p);
    }
    return p;
  }

  private async compile(program: Program): Promise<Compiled> {
    const { device, limits } = this.ctx;
    checkWorkgroupSize(limits, program.name, program.workgroupSize);
    device.pushErrorScope("validation");
    const module = device.createShaderModule({ label: program.name, code: program.wgsl });
    const info = await module.getCompilationInfo();
    const moduleError = await device.popErrorScope();
    if (moduleError || info.messages.some((m) => m.type === "error")) {
      throw new Error(`${program.name}: shader-module creation failed:\n${formatMessages(info, program.wgsl) || moduleError?.message}`);
    }
    device.pushErrorScope("validation");
    const layout = device.createBindGroupLayout({
      label: program.name,
      entries: program.bindings.map((b, i) => ({ binding: i, visibility, buffer: { type: b.kind } })),
    });
    let pipeline: GPUComputePipeline;
    try {
      pipeline = await device.createComputePipelineAsync({
        label: program.name,
        layout: device.createPipelineLayout({ bindGroupLayouts: [layout] }),
        compute: { module, entryPoint: "main" },
      });
    } catch (e) {
      await device.popErrorScope();
      throw new Error(`${program.name}: pipeline creation failed: ${(e as Error).message}\n${formatMessages(info, program.wgsl)}`);
    }
    const pipelineError = await device.popErrorScope();
    if (pipelineError) throw new Error(`${program.name}: pipeline creation failed: ${pipelineError.message}`);
    return { pipeline, layout };
  }
}

/**
 * Records one dispatch of `program` into `encoder` with `buffers` bound by name. Bind-group validation errors are
 * checked in an error scope whose result ctx.submit()/ctx.checkErrors() awaits, so recording stays synchronous after
 * the first compile.
 */
export async function encodeProgram(
  ctx: GpuContext,
  encoder: GPUCommandEncoder,
  program: Program,
  buffers: Record<string, GPUBuffer | { buffer: GPUBuffer; offset?: number; size?: number }>,
): Promise<void> {
  checkDispatch(ctx.limits, program.name, program.dispatch);
  for (const b of program.bindings) {
    if (!buffers[b.name]) throw new Error(`${program.name}: no buffer given for binding "${b.name}"`);
  }
  const { pipeline, layout } = await ctx.programs.get(program);
  ctx.device.pushErrorScope("validation");
  const bindGroup = ctx.device.createBindGroup({
    label: program.name,
    layout,
    entries: program.bindings.map((b, i) => {
      const given = buffers[b.name];
      return { binding: i, resource: "buffer" in given ? given : { buffer: given } };
    }),
  });
  ctx.defer(
    ctx.device.popErrorScope().then((e) => (e ? new Error(`${program.name}: bind-group creation failed: ${e.message}`) : null)),
  );
  const pass = encoder.beginComputePass({ label: program.name });
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, bindGroup);
  pass.dispatchWorkgroups(...program.dispatch);
  pass.end();
}

/** A packed uniform block: u32/i32/f32 fields written in order, padded to 16 bytes. */
export class UniformWriter {
  private words: number[] = [];
  private types: ("u" | "f")[] = [];
  u32(...v: number[]): this {
    for (const x of v) {
      this.words.push(x >>> 0);
      this.types.push("u");
    }
    return this;
  }
  f32(...v: number[]): this {
    for (const x of v) {
      this.words.push(x);
      this.types.push("f");
    }
    return this;
  }
  bytes(): ArrayBuffer {
    const n = Math.ceil(Math.max(this.words.length, 4) / 4) * 4;
    const buf = new ArrayBuffer(n * 4);
    const dv = new DataView(buf);
    this.words.forEach((w, i) => (this.types[i] === "u" ? dv.setUint32(i * 4, w, true) : dv.setFloat32(i * 4, w, true)));
    return buf;
  }
}

const uniformCache = new WeakMap<GpuContext, Map<string, GPUBuffer>>();

/** A uniform buffer holding `data`; identical contents share one buffer per context (parameters repeat per image). */
export function uniformBuffer(ctx: GpuContext, data: ArrayBuffer, label: string): GPUBuffer {
  let cache = uniformCache.get(ctx);
  if (!cache) uniformCache.set(ctx, (cache = new Map()));
  const key = Array.from(new Uint32Array(data)).join(",");
  let buf = cache.get(key);
  if (!buf) {
    buf = ctx.alloc.create(data.byteLength, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST, label, true);
    new Uint8Array(buf.getMappedRange()).set(new Uint8Array(data));
    buf.unmap();
    cache.set(key, buf);
  }
  return buf;
}
