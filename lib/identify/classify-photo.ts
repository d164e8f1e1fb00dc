// One photo through a classifier the way the model was validated: the centre crop, plus its mirror image averaged
// in when the model's metadata asks for it (tta=mirror). Browser and server both call this. The map of where the
// answer came from is the centre crop's.
import type { ModelMeta } from "../vit/model-meta.ts";
import { mirrorNchw } from "../vit/preprocess.ts";

export type PhotoPrediction = { probs: Float32Array; rollout: Float32Array | null; /** The centre crop's class feature. */ features: Float32Array | null };

export async function classifyPhoto(
  meta: ModelMeta,
  run: (tensor: Float32Array) => Promise<{ probs: Float32Array; rollout?: Float32Array | null; features?: Float32Array | null }>,
  tensor: Float32Array,
): Promise<PhotoPrediction> {
  const a = await run(tensor);
  const rollout = a.rollout ?? null;
  const features = a.features ?? null;
  if (meta.tta !== "mirror") return { probs: a.probs, rollout, features };
  const b = await run(mirrorNchw(tensor, meta.imageSize));
  return { probs: Float32Array.from(a.probs, (p, c) => 0.5 * (p + b.probs[c]!)), rollout, features };
}
