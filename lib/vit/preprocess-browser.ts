// Browser preprocessing: decode (ImageBitmap), resize the shorter side and centre-crop in one canvas draw
// (imageSmoothingQuality "high", close to bicubic), then the shared normalisation to NCHW float32.
import { pixelsToNchw, resizeCropPlan, type PreprocessSettings } from "./preprocess.ts";

export type ImageInput = Blob | ImageBitmap | HTMLImageElement | HTMLCanvasElement | OffscreenCanvas;

function sizeOf(img: Exclude<ImageInput, Blob>): { width: number; height: number } {
  if ("naturalWidth" in img) return { width: img.naturalWidth, height: img.naturalHeight };
  return { width: img.width, height: img.height };
}

/** An image (file Blob, bitmap, <img>, canvas) -> the S x S centre crop the model sees, as RGBA pixels. */
export async function imageToCrop(input: ImageInput, s: PreprocessSettings): Promise<ImageData> {
  const img = input instanceof Blob ? await createImageBitmap(input, { imageOrientation: "from-image" }) : input;
  try {
    const { width, height } = sizeOf(img);
    const plan = resizeCropPlan(width, height, s);
    const canvas = new OffscreenCanvas(plan.size, plan.size);
    const g = canvas.getContext("2d", { willReadFrequently: true });
    if (!g) throw new Error("imageToTensor: no 2D canvas context");
    g.imageSmoothingEnabled = true;
    g.imageSmoothingQuality = "high";
    g.drawImage(img, -plan.left, -plan.top, plan.resizedWidth, plan.resizedHeight);
    return g.getImageData(0, 0, plan.size, plan.size);
  } finally {
    if (input instanceof Blob) (img as ImageBitmap).close();
  }
}

/** The crop's pixels -> [1, 3, S, S] float32 for the model whose metadata gave `s`. */
export function cropToTensor(crop: ImageData, s: PreprocessSettings): Float32Array {
  return pixelsToNchw(crop.data, crop.width, 4, s);
}

/** An image (file Blob, bitmap, <img>, canvas) -> [1, 3, S, S] float32 for the model whose metadata gave `s`. */
export async function imageToTensor(input: ImageInput, s: PreprocessSettings): Promise<Float32Array> {
  return cropToTensor(await imageToCrop(input, s), s);
}
