// Preprocessing shared by browser and Node (timm eval transform): resize the shorter side, centre crop, normalise
// to NCHW float32. Only the pure part lives here; sharp (Node) and canvas (browser) do the resampling.
import type { ModelMeta } from "./model-meta.ts";

export type PreprocessSettings = Pick<ModelMeta, "imageSize" | "resizeSize" | "mean" | "std" | "interpolation">;

export type ResizeCrop = {
  /** Size after resizing the shorter side to resizeSize (aspect kept, long side truncated like torchvision). */
  resizedWidth: number;
  resizedHeight: number;
  /** Top-left of the centre crop inside the resized image. */
  left: number;
  top: number;
  size: number;
};

/** Python's round(): half to even, as torchvision's CenterCrop uses. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export function resizeCropPlan(width: number, height: number, s: Pick<PreprocessSettings, "imageSize" | "resizeSize">): ResizeCrop {
  if (!(width > 0 && height > 0)) throw new Error(`image size must be positive, got ${width}x${height}`);
  const short = Math.min(width, height);
  const long = Math.max(width, height);
  const longResized = Math.floor((s.resizeSize * long) / short);
  const resizedWidth = width <= height ? s.resizeSize : longResized;
  const resizedHeight = width <= height ? longResized : s.resizeSize;
  return {
    resizedWidth,
    resizedHeight,
    left: roundHalfEven((resizedWidth - s.imageSize) / 2),
    top: roundHalfEven((resizedHeight - s.imageSize) / 2),
    size: s.imageSize,
  };
}

/**
 * Interleaved 8-bit pixels (RGB or RGBA, `channels` per pixel) of a size x size crop -> NCHW float32 [1,3,S,S],
 * (x/255 - mean) / std per channel. Writes into `out` at `offset` so batches can share one buffer.
 */
export function pixelsToNchw(
  pixels: Uint8Array | Uint8ClampedArray,
  size: number,
  channels: 3 | 4,
  s: Pick<PreprocessSettings, "mean" | "std">,
  out = new Float32Array(3 * size * size),
  offset = 0,
): Float32Array {
  const plane = size * size;
  if (pixels.length !== plane * channels) throw new Error(`pixels: expected ${plane * channels} bytes for ${size}x${size}x${channels}, got ${pixels.length}`);
  if (out.length < offset + 3 * plane) throw new Error(`out: needs ${offset + 3 * plane} floats, has ${out.length}`);
  for (let c = 0; c < 3; c++) {
    const scale = 1 / (255 * s.std[c]!);
    const shift = s.mean[c]! / s.std[c]!;
    const base = offset + c * plane;
    for (let i = 0; i < plane; i++) out[base + i] = pixels[i * channels + c]! * scale - shift;
  }
  return out;
}

/** The left-right mirror image of an NCHW [1, 3, S, S] tensor (test-time augmentation: one more view per photo). */
export function mirrorNchw(x: Float32Array, S: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let c = 0; c < 3; c++)
    for (let y = 0; y < S; y++) {
      const row = (c * S + y) * S;
      for (let i = 0; i < S; i++) out[row + i] = x[row + S - 1 - i]!;
    }
  return out;
}
