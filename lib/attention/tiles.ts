// Tile sizes from the adapter's limits. br = query rows per workgroup, bc = key/value rows per tile held in workgroup
// memory, t = invocations per query row in the forward kernel (each takes every t-th key of a tile; their partial
// softmax states are combined at the end), so a workgroup has br * t invocations.

export interface Tiles {
  br: number;
  bc: number;
  /** Forward kernel only: invocations per query row (default 1). */
  t?: number;
}

const POW2 = [128, 64, 32, 16, 8];
const isPow2 = (x: number) => Number.isInteger(x) && x >= 1 && (x & (x - 1)) === 0;

/** Largest bc whose `tensorsInTile` f32 tiles of bc x d elements (plus `extraPerRow` f32 per row) fit workgroup storage. */
export function fitBc(limits: GPUSupportedLimits, d: number, tensorsInTile: number, extraPerRow = 0, cap = 64): number {
  const budget = limits.maxComputeWorkgroupStorageSize;
  for (const bc of POW2) {
    if (bc > cap) continue;
    if (bc * (tensorsInTile * d * 4 + extraPerRow * 4) <= budget) return bc;
  }
  throw new Error(`no tile of >= 8 rows with d=${d} fits maxComputeWorkgroupStorageSize ${budget}`);
}

/**
 * Rows per workgroup for the one-invocation-per-row kernels (backward): 64 when there is plenty of work, fewer for
 * short sequences so that small problems still spread over many workgroups. Bounded by the invocation limits.
 */
export function chooseBr(limits: GPUSupportedLimits, rowsTotal: number): number {
  const max = Math.min(limits.maxComputeInvocationsPerWorkgroup, limits.maxComputeWorkgroupSizeX);
  let br = 64;
  while (br > 16 && rowsTotal / br < 256) br /= 2;
  return Math.min(br, max);
}

/** vec4<f32> slots of the forward kernel's shared array: K and V tiles (rows padded by one vec4) or the combine buffer. */
export function forwardSmemVec4(d: number, t: Tiles): number {
  return Math.max(2 * t.bc * (d / 4 + 1), (t.br * (t.t ?? 1) * (d / 4)) / 2);
}

/** Workgroup storage of the forward kernel: the shared array plus (m, l) per invocation. */
export function forwardSmemBytes(d: number, t: Tiles): number {
  return forwardSmemVec4(d, t) * 16 + t.br * (t.t ?? 1) * 8;
}

/**
 * Forward tiles: bc = 32 key rows per tile; t and br so that short sequences still fill the GPU (more invocations per
 * row when there are few rows), within the workgroup-size and workgroup-storage limits. The thresholds come from the tile sweep on an H100 (bench/attention/results): for 3 heads,
 * 8x32x16 was fastest at N=197, 32x32x8 at N=785 and 32x32x4 at N=3137.
 */
export function forwardTiles(limits: GPUSupportedLimits, s: { batch: number; heads: number; n: number; d: number }): Tiles {
  const maxInvocations = Math.min(limits.maxComputeInvocationsPerWorkgroup, limits.maxComputeWorkgroupSizeX, 256);
  const budget = limits.maxComputeWorkgroupStorageSize;
  const rows = s.batch * s.heads * s.n;
  let bc = 32;
  let br = rows < 1024 ? 8 : 32;
  let t = rows < 1024 ? 16 : rows < 4096 ? 8 : 4;
  const fits = () => br * t <= maxInvocations && forwardSmemBytes(s.d, { br, bc, t }) <= budget;
  while (!fits()) {
    if (2 * bc * (s.d / 4 + 1) * 16 > budget / 2 && bc > 8) bc /= 2;
    else if (t > 1) t /= 2;
    else if (br > 8) br /= 2;
    else if (bc > 8) bc /= 2;
    else throw new Error(`flashAttention: no tile with d=${s.d} fits maxComputeWorkgroupStorageSize ${budget}`);
  }
  return { br, bc, t };
}

export function checkForwardTiles(kernel: string, limits: GPUSupportedLimits, t: Tiles, d: number): void {
  const parts = t.t ?? 1;
  if (!isPow2(t.br) || !isPow2(t.bc) || !isPow2(parts)) throw new Error(`${kernel}: tiles br=${t.br} bc=${t.bc} t=${parts} must be powers of two`);
  if (parts > t.bc) throw new Error(`${kernel}: t=${parts} invocations per row exceeds the tile's bc=${t.bc} keys`);
  const bytes = forwardSmemBytes(d, t);
  if (bytes > limits.maxComputeWorkgroupStorageSize) {
    throw new Error(`${kernel}: tiles br=${t.br} bc=${t.bc} t=${parts} need ${bytes} B of workgroup storage > maxComputeWorkgroupStorageSize ${limits.maxComputeWorkgroupStorageSize}`);
  }
}

export function checkTiles(kernel: string, limits: GPUSupportedLimits, t: Tiles, d: number, tensorsInTile: number, extraPerRow = 0): void {
  if (!isPow2(t.br) || !isPow2(t.bc)) throw new Error(`${kernel}: tiles br=${t.br} bc=${t.bc} must be powers of two`);
  const bytes = t.bc * (tensorsInTile * d * 4 + extraPerRow * 4);
  if (bytes > limits.maxComputeWorkgroupStorageSize) {
    throw new Error(`${kernel}: tile bc=${t.bc} needs ${bytes} B of workgroup storage > maxComputeWorkgroupStorageSize ${limits.maxComputeWorkgroupStorageSize}`);
  }
}
