// A photo file -> the model's input tensor, in the browser: EXIF orientation applied, shorter side resized
// with the canvas' high-quality (bicubic-like) smoothing, centre crop, normalised NCHW float32.
import { pixelsToNchw, resizeCropPlan, type PreprocessSettings } from "../vit/preprocess.ts";

export type PreparedImage = { tensor: Float32Array; crop: ImageData };

export async function prepareImage(file: Blob, s: PreprocessSettings): Promise<PreparedImage> {
  const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  try {
    const plan = resizeCropPlan(bitmap.width, bitmap.height, s);
    const canvas = new OffscreenCanvas(plan.size, plan.size);
    const ctx = canvas.getContext("2d", { willReadFrequently: true });
    if (!ctx) throw new Error("2D canvas unavailable");
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = "high";
    ctx.drawImage(bitmap, -plan.left, -plan.top, plan.resizedWidth, plan.resizedHeight);
    const crop = ctx.getImageData(0, 0, plan.size, plan.size);
    return { tensor: pixelsToNchw(crop.data, plan.size, 4, s), crop };
  } finally {
    bitmap.close();
  }
}
