// Server-side preprocessing with sharp: bicubic (Catmull-Rom, antialiased) resize, centre crop, NCHW float32.
import sharp from "sharp";
import { pixelsToNchw, resizeCropPlan, type PreprocessSettings } from "./preprocess.ts";

/** An encoded image (JPEG/PNG/WebP, any size) -> [1,3,S,S] float32 ready for the model. */
export async function preprocessImageFile(input: string | Buffer, s: PreprocessSettings): Promise<Float32Array> {
  const img = sharp(input).rotate(); // honour EXIF orientation like a browser does
  const { width, height } = await img.clone().toBuffer({ resolveWithObject: true }).then((r) => r.info);
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
