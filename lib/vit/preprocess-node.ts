// Server-side preprocessing with sharp: bicubic (Catmull-Rom, antialiased) resize, centre crop, NCHW float32.
import sharp from "sharp";
import { pixelsToNchw, resizeCropPlan, type PreprocessSettings } from "./preprocess.ts";

/** An encoded image (JPEG/PNG/WebP, any size) -> [1,3,S,S] float32 ready for the model. */
export async function preprocessImageFile(input: string | Buffer, s: PreprocessSettings): Promise<Float32Array> {
  const img = sharp(input).rotate(); // honour EXIF orientation like a browser does
  // Size from the header (a quarter turn swaps it), never from a full-resolution decode: the one pipeline below
  // resizes, so libvips decodes large JPEGs shrunk on load.
  const meta = await sharp(input).metadata();
  const quarterTurn = (meta.orientation ?? 1) >= 5;
  const width = (quarterTurn ? meta.height : meta.width) ?? 0;
  const height = (quarterTurn ? meta.width : meta.height) ?? 0;
  const plan = resizeCropPlan(width, height, s);
  const { data } = await img
    .removeAlpha()
    .toColourspace("srgb")
    .resize(plan.resizedWidth, plan.resizedHeight, { kernel: s.interpolation === "bicubic" ? "cubic" : "linear", fit: "fill" })
    .extract({ left: plan.left, top: plan.top, width: plan.size, height: plan.size })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return pixelsToNchw(new Uint8Array(data.buffer, data.byteOffset, data.length), plan.size, 3, s);
}
