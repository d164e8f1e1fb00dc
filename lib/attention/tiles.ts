// Tile sizes from the adapter's limits. br = query rows per workgroup (one invocation each), bc = key/value rows per
// tile held in workgroup memory.
import { bytesPerElement, type DType } from "../gpu/buffers.ts";

export interface Tiles {
  br: number;
  bc: number;
}

const POW2 = [128, 64, 32, 16, 8];

/** Largest bc whose `tensorsInTile` tiles of bc x d elements (plus `extraPerRow` f32 per row) fit workgroup storage. */
export function fitBc(limits: GPUSupportedLimits, d: number, tileDType: DType, tensorsInTile: number, extraPerRow = 0, cap = 64): number {
  const budget = limits.maxComputeWorkgroupStorageSize;
  for (const bc of POW2) {
    if (bc > cap) continue;
    if (bc * (tensorsInTile * d * bytesPerElement(tileDType) + extraPerRow * 4) <= budget) return bc;
  }
  throw new Error(`no tile of >= 8 rows with d=${d} fits maxComputeWorkgroupStorageSize ${budget}`);
}

/**
 * Rows per workgroup: 64 when there is plenty of work, fewer for short sequences so that small problems still spread
 * over many workgroups. Bounded by the invocation limits.
 */
export function chooseBr(limits: GPUSupportedLimits, rowsTotal: number): number {
  const max = Math.min(limits.maxComputeInvocationsPerWorkgroup, limits.maxComputeWorkgroupSizeX);
  let br = 64;
  while (br > 16 && rowsTotal / br < 256) br /= 2;
  return Math.min(br, max);
}

/** Forward tiles: K and V tiles stream through workgroup memory. */
export function forwardTiles(limits: GPUSupportedLimits, s: { batch: number; heads: number; n: number; d: number }, dtype: DType): Tiles {
  return { br: chooseBr(limits, s.batch * s.heads * s.n), bc: fitBc(limits, s.d, dtype, 2) };
}

export function checkTiles(kernel: string, limits: GPUSupportedLimits, t: Tiles, d: number, dtype: DType, tensorsInTile: number, extraPerRow = 0): void {
  const pow2 = (x: number) => Number.isInteger(x) && x >= 1 && (x & (x - 1)) === 0;
  if (!pow2(t.br) || !pow2(t.bc)) throw new Error(`${kernel}: tiles br=${t.br} bc=${t.bc} must be powers of two`);
  const bytes = t.bc * (tensorsInTile * d * bytesPerElement(dtype) + extraPerRow * 4);
  if (bytes > limits.maxComputeWorkgroupStorageSize) {
    throw new Error(`${kernel}: tile bc=${t.bc} needs ${bytes} B of workgroup storage > maxComputeWorkgroupStorageSize ${limits.maxComputeWorkgroupStorageSize}`);
  }
}
