// Shapes, tensor views and the input checks shared by the attention kernels.

export interface AttentionShape {
  batch: number;
  heads: number;
  /** Tokens (sequence length). */
  n: number;
  /** Head dimension: 32, 64 or 128. */
  d: number;
}

export const SUPPORTED_HEAD_DIMS = [32, 64, 128] as const;

/**
 * Where a logical [B, H, N, d] tensor lives in a buffer: an element offset and element strides for the B, H and N axes;
 * the d axis is always contiguous. The default is contiguous [B, H, N, d]. A fused qkv projection laid out as
 * [B, N, 3, H, d] needs no split kernel: q = { offset: 0, strides: [N*3*H*d, d, 3*H*d] }, k = { offset: H*d, ... },
 * v = { offset: 2*H*d, ... }. Any offset and strides work (loads are per element).
 */
export interface TensorView {
  buffer: GPUBuffer;
  offset?: number;
  strides?: [number, number, number];
}

export type ViewOrBuffer = TensorView | GPUBuffer;

export interface ResolvedView {
  buffer: GPUBuffer;
  offset: number;
  strides: [number, number, number];
}

export function contiguousStrides(s: { heads: number; n: number }, d: number): [number, number, number] {
  return [s.heads * s.n * d, s.n * d, d];
}

function isBuffer(v: ViewOrBuffer): v is GPUBuffer {
  return !("buffer" in v);
}

/** Resolves a view and throws, naming the tensor, when it would read or write outside its buffer. */
export function resolveView(
  kernel: string,
  name: string,
  v: ViewOrBuffer | undefined,
  shape: { batch: number; heads: number; n: number },
  rowLength: number,
): ResolvedView {
  if (!v) throw new Error(`${kernel}: tensor ${name} is missing`);
  const view: TensorView = isBuffer(v) ? { buffer: v } : v;
  const offset = view.offset ?? 0;
  const strides = view.strides ?? contiguousStrides(shape, rowLength);
  if (![offset, ...strides].every((x) => Number.isInteger(x) && x >= 0)) {
    throw new Error(`${kernel}: ${name} offset/strides must be non-negative integers, got offset ${offset}, strides [${strides}]`);
  }
  const last = offset + (shape.batch - 1) * strides[0] + (shape.heads - 1) * strides[1] + (shape.n - 1) * strides[2] + rowLength;
  const have = Math.floor(view.buffer.size / 4);
  if (last > have) {
    throw new Error(
      `${kernel}: ${name} [B=${shape.batch}, H=${shape.heads}, N=${shape.n}, ${rowLength}] at offset ${offset} strides [${strides}] ` +
        `needs ${last} f32 elements, buffer "${view.buffer.label}" holds ${have}`,
    );
  }
  if (last > 2 ** 32 - 1) throw new Error(`${kernel}: ${name} indexes past 2^32 elements`);
  return { buffer: view.buffer, offset, strides };
}

export function checkShape(kernel: string, s: AttentionShape): void {
  const bad = (["batch", "heads", "n"] as const).filter((k) => !Number.isInteger(s[k]) || s[k] < 1);
  if (bad.length > 0) throw new Error(`${kernel}: ${bad.map((k) => `${k}=${s[k]}`).join(", ")} must be positive integers`);
  if (!(SUPPORTED_HEAD_DIMS as readonly number[]).includes(s.d)) {
    throw new Error(`${kernel}: head dimension d=${s.d} is not supported (use ${SUPPORTED_HEAD_DIMS.join(", ")})`);
  }
}

export function elementCount(s: AttentionShape): number {
  return s.batch * s.heads * s.n * s.d;
}

/** WGSL shared by every attention kernel: the view type and its index function. */
export const VIEW_WGSL = /* wgsl */ `
// A view is (element offset, batch stride, head stride, row stride); the d axis is contiguous.
fn at(v: vec4<u32>, b: u32, h: u32, r: u32) -> u32 { return v.x + b * v.y + h * v.z + r * v.w; }`;

export function viewWords(v: ResolvedView): number[] {
  return [v.offset, ...v.strides];
}
