// The "where the model looked" map shown on the Identify page: the attention-rollout row of the class token
// (lib/attention/rollout-reference.ts; the same on every backend) turned into per-patch weights, scaled by percentiles
// so that a flat map does not look hot, and upsampled bilinearly over the crop. Pure functions: the page and the tests
// run exactly this.

export type PatchMap = { grid: number; values: Float32Array };

/** rollout: [N] with the class token first -> the patches' weights [grid * grid] (row-major) summing to 1. */
export function patchMap(rollout: ArrayLike<number>): PatchMap {
  const patches = rollout.length - 1;
  const grid = Math.round(Math.sqrt(patches));
  if (patches < 1 || grid * grid !== patches) throw new Error(`patchMap: ${rollout.length} tokens are not 1 + a square grid of patches`);
  const values = new Float32Array(patches);
  let total = 0;
  for (let i = 0; i < patches; i++) total += values[i] = Math.max(0, rollout[i + 1]!);
  if (total > 0) for (let i = 0; i < patches; i++) values[i]! /= total;
  return { grid, values };
}

/** The p-quantile (0..1) of values, linearly interpolated between order statistics. */
export function percentile(values: ArrayLike<number>, p: number): number {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) throw new Error("percentile of no values");
  const at = Math.min(1, Math.max(0, p)) * (sorted.length - 1);
  const lo = Math.floor(at);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (at - lo) * (sorted[hi]! - sorted[lo]!);
}

/** values -> [0, 1]: 0 at or below the `lo` percentile (default the median), 1 at or above the `hi` percentile. */
export function percentileScale(values: ArrayLike<number>, lo = 0.5, hi = 0.99): Float32Array {
  const a = percentile(values, lo);
  const b = percentile(values, hi);
  const out = new Float32Array(values.length);
  if (!(b > a)) return out; // a flat map shows nothing rather than everything
  for (let i = 0; i < values.length; i++) out[i] = Math.min(1, Math.max(0, (values[i]! - a) / (b - a)));
  return out;
}

/** grid x grid values (patch centres at (i + 0.5) cells) -> width x height, bilinear, clamped at the edges. */
export function upsampleBilinear(values: ArrayLike<number>, grid: number, width: number, height: number): Float32Array {
  if (values.length !== grid * grid) throw new Error(`upsampleBilinear: ${values.length} values for a ${grid}x${grid} grid`);
  const out = new Float32Array(width * height);
  const axis = (p: number, size: number) => {
    const g = Math.min(grid - 1, Math.max(0, ((p + 0.5) * grid) / size - 0.5));
    const i0 = Math.floor(g);
    return { i0, i1: Math.min(grid - 1, i0 + 1), f: g - i0 };
  };
  for (let y = 0; y < height; y++) {
    const ay = axis(y, height);
    for (let x = 0; x < width; x++) {
      const ax = axis(x, width);
      const v = (r: number, c: number) => values[r * grid + c]!;
      const top = v(ay.i0, ax.i0) * (1 - ax.f) + v(ay.i0, ax.i1) * ax.f;
      const bottom = v(ay.i1, ax.i0) * (1 - ax.f) + v(ay.i1, ax.i1) * ax.f;
      out[y * width + x] = top * (1 - ay.f) + bottom * ay.f;
    }
  }
  return out;
}

export const HEAT_COLOUR: readonly [number, number, number] = [255, 60, 0];

/** Blends the heat colour over RGBA pixels in place with alpha maxAlpha * heat (heat in [0, 1], one per pixel). */
export function paintHeat(rgba: Uint8ClampedArray, heat: ArrayLike<number>, maxAlpha = 0.65): void {
  if (rgba.length !== heat.length * 4) throw new Error(`paintHeat: ${rgba.length / 4} pixels, ${heat.length} heat values`);
  for (let i = 0; i < heat.length; i++) {
    const a = maxAlpha * Math.min(1, Math.max(0, heat[i]!));
    for (let c = 0; c < 3; c++) rgba[i * 4 + c] = rgba[i * 4 + c]! * (1 - a) + HEAT_COLOUR[c]! * a;
  }
}

/** The overlay for a crop of width x height: percentile-scaled rollout, upsampled to one heat value per pixel. */
export function overlayHeat(rollout: ArrayLike<number>, width: number, height: number): Float32Array {
  const { grid, values } = patchMap(rollout);
  return upsampleBilinear(percentileScale(values), grid, width, height);
}

/**
 * Mean weight per patch in the central block (about half the side, exactly centred: 8x8 of 14x14) and in the
 * outermost ring of patches. A uniform map gives equal values.
 */
export function centreAndBorder(m: PatchMap): { centre: number; border: number } {
  const { grid, values } = m;
  let half = Math.round(grid / 2);
  if ((grid - half) % 2 !== 0) half++;
  const from = (grid - half) / 2;
  let centre = 0;
  let border = 0;
  let nc = 0;
  let nb = 0;
  for (let y = 0; y < grid; y++)
    for (let x = 0; x < grid; x++) {
      const v = values[y * grid + x]!;
      if (y >= from && y < from + half && x >= from && x < from + half) {
        centre += v;
        nc++;
      }
      if (Math.min(x, y, grid - 1 - x, grid - 1 - y) === 0) {
        border += v;
        nb++;
      }
    }
  return { centre: centre / nc, border: border / nb };
}

/** Share of the map held by its k largest patches. */
export function topShare(m: PatchMap, k: number): number {
  return Array.from(m.values).sort((a, b) => b - a).slice(0, k).reduce((a, b) => a + b, 0);
}
