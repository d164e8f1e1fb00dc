// Runs a shipped species ONNX on photos with onnxruntime-node exactly as the site does (centre crop; mirrored view
// averaged when the model's metadata says tta=mirror): the served model's own held-out numbers.
import * as ort from "onnxruntime-node";
import { parseModelMeta } from "../../lib/vit/model-meta.ts";
import { readOnnxModel } from "../../lib/vit/onnx/read.ts";
import { preprocessImageFile } from "../../lib/vit/preprocess-node.ts";
import { mirrorNchw } from "../../lib/vit/preprocess.ts";

export async function onnxPhotoProbs(
  onnx: Uint8Array,
  files: readonly string[],
  threads = 2,
): Promise<{ probs: Float64Array; features: Float32Array; labels: string[]; abstainThreshold: number | undefined; tta: boolean; dim: number }> {
  const file = readOnnxModel(onnx);
  const meta = parseModelMeta(file.metadata);
  const tta = file.metadata.tta === "mirror";
  const session = await ort.InferenceSession.create(onnx, { intraOpNumThreads: threads, interOpNumThreads: 1 });
  const S = meta.imageSize;
  const plane = 3 * S * S;
  const C = meta.labels.length;
  const probs = new Float64Array(files.length * C);
  const D = meta.embedDim;
  const features = new Float32Array(files.length * D);
  const bs = 16;
  for (let start = 0; start < files.length; start += bs) {
    const chunk = files.slice(start, start + bs);
    const xs = await Promise.all(chunk.map((f) => preprocessImageFile(f, meta)));
    const views = tta ? [...xs, ...xs.map((x) => mirrorNchw(x, S))] : xs;
    const batch = new Float32Array(views.length * plane);
    views.forEach((x, k) => batch.set(x, k * plane));
    const out = await session.run({ pixel_values: new ort.Tensor("float32", batch, [views.length, 3, S, S]) }, ["probs", "features"]);
    const p = out.probs!.data as Float32Array;
    const f = out.features!.data as Float32Array;
    chunk.forEach((_, k) => features.set(f.subarray(k * D, (k + 1) * D), (start + k) * D)); // the centre crop's
    chunk.forEach((_, k) => {
      for (let c = 0; c < C; c++) {
        const v = tta ? 0.5 * (p[k * C + c]! + p[(k + chunk.length) * C + c]!) : p[k * C + c]!;
        probs[(start + k) * C + c] = v;
      }
    });
  }
  await session.release();
  return { probs, features, labels: meta.labels, abstainThreshold: meta.abstainThreshold, tta, dim: D };
}
