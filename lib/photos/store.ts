// The photo store: one copy per SHA-256 of the original bytes, metadata stripped, plus a training
// derivative and a thumbnail. Paths returned are relative to the store root.
import { createHash } from "node:crypto";
import { access } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { writeFileAtomic } from "./atomic-write";
import { jpegHasExtraSegments } from "./jpeg-segments";
import { DEFAULT_IMAGE_LIMITS, decodeImage, type ImageFormat, type ImageLimits, type RejectReason } from "./validate";

/** Shorter side of the training derivative and longer side of the thumbnail (WebP at effort 0: about 4x
 * faster to encode than the default effort 4, for slightly larger files). */
export const TRAIN_SHORT_SIDE = 256;
export const THUMB_SIZE = 320;

export type StoredPhoto = {
  contentHash: string;
  format: ImageFormat;
  width: number;
  height: number;
  byteSize: number;
  filePath: string;
  trainPath: string;
  thumbPath: string;
};

export type StoreResult = { ok: true; photo: StoredPhoto } | { ok: false; reason: RejectReason; detail: string };

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Where a hash lives: `<kind>/ab/cd/<hash>.<ext>`. */
export function storePaths(hash: string): { filePath: string; trainPath: string; thumbPath: string } {
  const shard = path.posix.join(hash.slice(0, 2), hash.slice(2, 4));
  return {
    filePath: path.posix.join("originals", shard, `${hash}.jpg`),
    trainPath: path.posix.join("train", shard, `${hash}.jpg`),
    thumbPath: path.posix.join("thumbs", shard, `${hash}.webp`),
  };
}

/**
 * Validate, then store the photo and its derivatives unless they are already there. A JPEG with nothing to
 * strip is stored byte for byte (so the file's SHA-256 is its name); anything else (EXIF/GPS, XMP, IPTC,
 * comments, a rotation, or another format) is re-encoded from the decoded, upright pixels, which drops it.
 */
export async function storePhoto(
  storeRoot: string,
  bytes: Uint8Array,
  limits: ImageLimits = DEFAULT_IMAGE_LIMITS,
  /** Re-encode even a bare JPEG (contributed photos: nothing of the sender's file survives but its pixels). */
  opts: { reencode?: boolean } = {},
): Promise<StoreResult> {
  // One decode, shrunk to what the derivatives need (both are made from it).
  const decoded = await decodeImage(bytes, limits, THUMB_SIZE);
  if (!decoded.ok) return decoded;
  const contentHash = sha256Hex(bytes);
  const rel = storePaths(contentHash);
  const raw = { raw: { width: decoded.pixelWidth, height: decoded.pixelHeight, channels: decoded.channels } };
  const img = () => sharp(decoded.pixels, raw);
  // The original is written last: its presence means the derivatives are complete too.
  if (!(await exists(path.join(storeRoot, rel.filePath)))) {
    const [train, thumb, original] = await Promise.all([
      img()
        .resize({ width: TRAIN_SHORT_SIDE, height: TRAIN_SHORT_SIDE, fit: "outside" })
        .flatten({ background: "#ffffff" })
        .jpeg({ quality: 90, mozjpeg: false })
        .toBuffer(),
      img().resize({ width: THUMB_SIZE, height: THUMB_SIZE, fit: "inside", withoutEnlargement: true }).webp({ quality: 80, effort: 0 }).toBuffer(),
      decoded.format === "jpeg" && !decoded.hasMetadata && !opts.reencode && !jpegHasExtraSegments(bytes)
        ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
        : sharp(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { limitInputPixels: limits.maxPixels })
            .rotate()
            .flatten({ background: "#ffffff" })
            .jpeg({ quality: 92 })
            .toBuffer(),
    ]);
    await writeFileAtomic(path.join(storeRoot, rel.trainPath), train);
    await writeFileAtomic(path.join(storeRoot, rel.thumbPath), thumb);
    await writeFileAtomic(path.join(storeRoot, rel.filePath), original);
  }
  return {
    ok: true,
    photo: {
      contentHash,
      format: decoded.format,
      width: decoded.width,
      height: decoded.height,
      byteSize: bytes.byteLength,
      ...rel,
    },
  };
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}
