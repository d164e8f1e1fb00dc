// Perceptual difference hash (dHash) of the grayscale image and of its mirror: near-duplicates (re-encoded, resized,
// lightly edited) and flipped copies land within a few bits of each other, so the split can keep them together.
import sharp from "sharp";

/** 64-bit hash as two 32-bit halves (fast popcount without BigInt). */
export type Hash64 = { hi: number; lo: number };
export type PhotoDhash = { hash: Hash64; mirrored: Hash64 };

/** Bits that may differ for two photos to count as near-duplicates (of 64). */
export const NEAR_DUPLICATE_BITS = 6;

/** 9x8 grayscale, one bit per horizontally adjacent pair: left brighter than right. */
function dhashOfPixels(px: Uint8Array): Hash64 {
  let hi = 0;
  let lo = 0;
  for (let y = 0; y < 8; y++)
    for (let x = 0; x < 8; x++) {
      const bit = px[y * 9 + x]! > px[y * 9 + x + 1]! ? 1 : 0;
      const i = y * 8 + x;
      if (i < 32) hi = (hi | (bit << (31 - i))) >>> 0;
      else lo = (lo | (bit << (63 - i))) >>> 0;
    }
  return { hi, lo };
}

export async function photoDhash(input: string | Buffer): Promise<PhotoDhash> {
  const gray = (mirror: boolean) => {
    let img = sharp(input).rotate().removeAlpha().grayscale();
    if (mirror) img = img.flop();
    return img.resize(9, 8, { fit: "fill", kernel: "linear" }).raw().toBuffer();
  };
  const [a, b] = await Promise.all([gray(false), gray(true)]);
  return { hash: dhashOfPixels(new Uint8Array(a)), mirrored: dhashOfPixels(new Uint8Array(b)) };
}

function popcount32(v: number): number {
  let x = v - ((v >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

export function hammingDistance(a: Hash64, b: Hash64): number {
  return popcount32((a.hi ^ b.hi) >>> 0) + popcount32((a.lo ^ b.lo) >>> 0);
}

/** Same picture up to re-encoding, small edits, or a horizontal flip. */
export function isNearDuplicate(a: PhotoDhash, b: PhotoDhash, bits = NEAR_DUPLICATE_BITS): boolean {
  return hammingDistance(a.hash, b.hash) <= bits || hammingDistance(a.hash, b.mirrored) <= bits;
}

export function hashHex(h: Hash64): string {
  return h.hi.toString(16).padStart(8, "0") + h.lo.toString(16).padStart(8, "0");
}
