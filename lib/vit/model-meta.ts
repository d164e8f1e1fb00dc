// The model's metadata_props, typed: labels, preprocessing and architecture travel inside the ONNX file so the
// browser, Node and onnxruntime all read one source (no constants scattered through the code).
import { z } from "zod";
import { abstainThresholdProblem } from "../verdict/thresholds.ts";

const csvNumbers = (n: number) =>
  z.string().transform((s, ctx) => {
    const v = s.split(",").map(Number);
    if (v.length !== n || v.some((x) => !Number.isFinite(x))) {
      ctx.addIssue({ code: "custom", message: `expected ${n} comma-separated numbers, got "${s}"` });
      return z.NEVER;
    }
    return v;
  });
const int = z.string().regex(/^\d+$/).transform(Number);
const num = z.string().transform((s, ctx) => {
  const v = Number(s);
  if (!Number.isFinite(v)) ctx.addIssue({ code: "custom", message: `not a number: ${s}` });
  return v;
});

const schema = z.object({
  model_id: z.string().min(1),
  labels: z.string().transform((s) => z.array(z.string()).parse(JSON.parse(s))),
  image_size: int,
  resize_size: int,
  interpolation: z.enum(["bicubic", "bilinear"]),
  mean: csvNumbers(3),
  std: csvNumbers(3),
  temperature: num,
  patch_size: int,
  embed_dim: int,
  depth: int,
  num_heads: int,
  mlp_dim: int,
  layer_norm_eps: num,
  license: z.string().default(""),
  /** "mirror": average the prediction of the mirrored image too (test-time augmentation chosen on validation). */
  tta: z.enum(["mirror", "none"]).default("none"),
  /** Written by the training run: the "not sure" threshold chosen on validation data. */
  abstain_threshold: num
    .superRefine((t, ctx) => {
      const problem = abstainThresholdProblem(t);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .optional(),
});

export type ModelMeta = {
  modelId: string;
  labels: string[];
  /** Side of the square crop the network sees (224). */
  imageSize: number;
  /** Shorter side after resizing, before the centre crop (248). */
  resizeSize: number;
  interpolation: "bicubic" | "bilinear";
  mean: number[];
  std: number[];
  /** Calibration temperature: probs = softmax(logits / temperature). */
  temperature: number;
  patchSize: number;
  embedDim: number;
  depth: number;
  numHeads: number;
  mlpDim: number;
  layerNormEps: number;
  license: string;
  /** Test-time augmentation the model was validated with: "mirror" averages the mirrored image's prediction. */
  tta: "mirror" | "none";
  /** Top probability below which the site says "not sure"; absent for models without a validation run. */
  abstainThreshold?: number;
};

export function parseModelMeta(props: Record<string, string>): ModelMeta {
  const r = schema.safeParse(props);
  if (!r.success) {
    throw new Error(`ONNX metadata_props invalid: ${r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  const m = r.data;
  return {
    modelId: m.model_id,
    labels: m.labels,
    imageSize: m.image_size,
    resizeSize: m.resize_size,
    interpolation: m.interpolation,
    mean: m.mean,
    std: m.std,
    temperature: m.temperature,
    patchSize: m.patch_size,
    embedDim: m.embed_dim,
    depth: m.depth,
    numHeads: m.num_heads,
    mlpDim: m.mlp_dim,
    layerNormEps: m.layer_norm_eps,
    license: m.license,
    tta: m.tta,
    ...(m.abstain_threshold === undefined ? {} : { abstainThreshold: m.abstain_threshold }),
  };
}

export function formatModelMeta(m: ModelMeta): Record<string, string> {
  return {
    model_id: m.modelId,
    labels: JSON.stringify(m.labels),
    image_size: String(m.imageSize),
    resize_size: String(m.resizeSize),
    interpolation: m.interpolation,
    mean: m.mean.join(","),
    std: m.std.join(","),
    temperature: String(m.temperature),
    patch_size: String(m.patchSize),
    embed_dim: String(m.embedDim),
    depth: String(m.depth),
    num_heads: String(m.numHeads),
    mlp_dim: String(m.mlpDim),
    layer_norm_eps: String(m.layerNormEps),
    license: m.license,
    ...(m.tta === "mirror" ? { tta: m.tta } : {}),
  };
}
