// Image validation shared by the scraper and the Identify upload API: decode fully with sharp, so corrupt,
// truncated, non-image and absurdly large inputs are rejected with a reason before anything is stored.
import sharp from "sharp";

export type ImageLimits = {
  /** Largest accepted input in bytes. */
  maxBytes: number;
  /** Largest accepted width * height (sharp's limitInputPixels). */
  maxPixels: number;
};

export const DEFAULT_IMAGE_LIMITS: ImageLimits = { maxBytes: 25 * 1024 * 1024, maxPixels: 40_000_000 };

/** Formats we accept; anything else sharp can read (svg, pdf, tiff...) is refused. */
export const ACCEPTED_FORMATS = ["jpeg", "png", "webp", "gif", "avif"] as const;
export type ImageFormat = (typeof ACCEPTED_FORMATS)[number];

export type RejectReason =
  | "empty"
  | "too-many-bytes"
  | "not-an-image"
  | "unsupported-format"
  | "too-many-pixels"
  | "corrupt";

export type ImageCheck =
  | {
      ok: true;
      format: ImageFormat;
      width: number;
      height: number;
      /** Pixels actually decoded to check it (shrink-on-load keeps this small whatever the photo's size). */
      decodedPixels: number;
    }
  | { ok: false; reason: RejectReason; detail: string };

/** A decoded image (after EXIF orientation), for building derivatives without decoding twice. */
export type DecodedImage = {
  ok: true;
  format: ImageFormat;
  /** Size of the upright original. */
  width: number;
  height: number;
  /** The decoded pixels; smaller than the original when decodeImage was asked to shrink. */
  pixels: Buffer;
  pixelWidth: number;
  pixelHeight: number;
  channels: 1 | 2 | 3 | 4;
  /** EXIF, XMP, IPTC or comments present (things to strip before storing). */
  hasMetadata: boolean;
};

const reject = (reason: RejectReason, detail: string): { ok: false; reason: RejectReason; detail: string } => ({
  ok: false,
  reason,
  detail,
});

/**
 * Decode `bytes` completely (this is what catches truncation: a JPEG decoded with shrink-on-load still reads
 * every byte) and return the raw pixels, upright. With `shrinkTo`, pixels are scaled so the shorter side is at
 * most that, which lets libvips decode large JPEGs at a fraction of the cost.
 */
export async function decodeImage(
  bytes: Uint8Array,
  limits: ImageLimits = DEFAULT_IMAGE_LIMITS,
  shrinkTo?: number,
): Promise<DecodedImage | Extract<ImageCheck, { ok: false }>> {
  if (bytes.byteLength === 0) return reject("empty", "no bytes");
  if (bytes.byteLength > limits.maxBytes) {
    return reject("too-many-bytes", `${bytes.byteLength} bytes exceeds the limit of ${limits.maxBytes}`);
  }
  const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let format: string | undefined;
  let width = 0;
  let height = 0;
  let hasMetadata = false;
  try {
    const meta = await sharp(input, { limitInputPixels: false }).metadata();
    format = meta.format;
    // Orientations 5-8 turn the image a quarter: the upright size swaps.
    const quarterTurn = (meta.orientation ?? 1) >= 5;
    width = (quarterTurn ? meta.height : meta.width) ?? 0;
    height = (quarterTurn ? meta.width : meta.height) ?? 0;
    hasMetadata = !!(meta.exif || meta.xmp || meta.iptc || meta.comments?.length || (meta.orientation ?? 1) !== 1);
  } catch (e) {
    // An image signature with an unreadable header is a broken image, not some other kind of file.
    return reject(looksLikeImage(input) ? "corrupt" : "not-an-image", errorText(e));
  }
  if (!format || !(ACCEPTED_FORMATS as readonly string[]).includes(format)) {
    return reject("unsupported-format", `format ${format ?? "unknown"} is not one of ${ACCEPTED_FORMATS.join(", ")}`);
  }
  if (width * height > limits.maxPixels) {
    return reject("too-many-pixels", `${width}x${height} exceeds the limit of ${limits.maxPixels} pixels`);
  }
  try {
    let img = sharp(input, { limitInputPixels: limits.maxPixels, failOn: "truncated" }).rotate();
    if (shrinkTo) img = img.resize({ width: shrinkTo, height: shrinkTo, fit: "outside", withoutEnlargement: true });
    const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
    return {
      ok: true,
      format: format as ImageFormat,
      width,
      height,
      pixels: data,
      pixelWidth: info.width,
      pixelHeight: info.height,
      channels: info.channels,
      hasMetadata,
    };
  } catch (e) {
    return reject("corrupt", errorText(e));
  }
}

/** Shorter side the check decodes at: every byte is still read (truncation is caught), few pixels are kept. */
export const VALIDATE_SHRINK = 64;

/** Check an image without keeping it: `{ok, format, width, height}` or `{ok: false, reason, detail}`. */
export async function validateImage(bytes: Uint8Array, limits: ImageLimits = DEFAULT_IMAGE_LIMITS): Promise<ImageCheck> {
  const d = await decodeImage(bytes, limits, VALIDATE_SHRINK);
  if (!d.ok) return d;
  return { ok: true, format: d.format, width: d.width, height: d.height, decodedPixels: d.pixelWidth * d.pixelHeight };
}

const SIGNATURES: [number, number[]][] = [
  [0, [0xff, 0xd8, 0xff]], // JPEG
  [0, [0x89, 0x50, 0x4e, 0x47]], // PNG
  [0, [0x47, 0x49, 0x46, 0x38]], // GIF8
  [8, [0x57, 0x45, 0x42, 0x50]], // RIFF....WEBP
  [4, [0x66, 0x74, 0x79, 0x70]], // ....ftyp (AVIF/HEIF)
];

function looksLikeImage(b: Buffer): boolean {
  return SIGNATURES.some(([at, sig]) => sig.every((v, i) => b[at + i] === v));
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
