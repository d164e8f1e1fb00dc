// Training-time views of a photo: random resized crop, horizontal flip and colour jitter, drawn deterministically from
// (seed, photo hash, view index) so a cached feature always belongs to the same view. Evaluation uses the plain
// centre crop from lib/vit/preprocess-node.ts.
import sharp from "sharp";
import { pixelsToNchw, type PreprocessSettings } from "../../lib/vit/preprocess.ts";
import { hashSeed, seededRandom } from "./rng.ts";

/** Bump when the augmentation changes: it is part of every cached feature's key. */
export const AUGMENT_VERSION = 1;

export type AugmentParams = {
  /** Crop box as fractions of the image. */
  left: number;
  top: number;
  width: number;
  height: number;
  flip: boolean;
  brightness: number;
  saturation: number;
  hue: number;
};

export function drawAugment(seed: number, contentHash: string, view: number): AugmentParams {
  const r = seededRandom(hashSeed(seed, contentHash, view));
  // timm-style RandomResizedCrop: area 35-100%, aspect 3/4..4/3.
  const area = 0.35 + 0.65 * r();
  const logRatio = Math.log(3 / 4) + r() * (Math.log(4 / 3) - Math.log(3 / 4));
  const aspect = Math.exp(logRatio);
  const width = Math.min(1, Math.sqrt(area * aspect));
  const height = Math.min(1, Math.sqrt(area / aspect));
  return {
    left: r() * (1 - width),
    top: r() * (1 - height),
    width,
    height,
    flip: r() < 0.5,
    brightness: 0.75 + 0.5 * r(),
    saturation: 0.7 + 0.6 * r(),
    hue: Math.round(-12 + 24 * r()),
  };
}

/** One augmented view as NCHW float32 [1,3,S,S]. */
export async function augmentedTensor(file: string, a: AugmentParams, s: PreprocessSettings): Promise<Float32Array> {
  const base = sharp(file).rotate().removeAlpha().toColourspace("srgb");
  const { info, data } = await base.raw().toBuffer({ resolveWithObject: true });
  const w = Math.max(1, Math.round(a.width * info.width));
  const h = Math.max(1, Math.round(a.height * info.height));
  const left = Math.min(info.width - w, Math.round(a.left * info.width));
  const top = Math.min(info.height - h, Math.round(a.top * info.height));
  let img = sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } }).extract({ left, top, width: w, height: h });
  if (a.flip) img = img.flop();
  const out = await img
    .modulate({ brightness: a.brightness, saturation: a.saturation, hue: a.hue })
    .resize(s.imageSize, s.imageSize, { fit: "fill", kernel: s.interpolation === "bicubic" ? "cubic" : "linear" })
    .removeAlpha()
    .raw()
    .toBuffer();
  return pixelsToNchw(new Uint8Array(out.buffer, out.byteOffset, out.length), s.imageSize, 3, s);
}
