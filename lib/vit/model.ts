// One ONNX file -> typed metadata + strictly loaded weights, optionally for a larger input size.
import { readOnnxModel } from "./onnx/read.ts";
import { parseModelMeta, type ModelMeta } from "./model-meta.ts";
import { loadVitWeights, type VitWeights } from "./weights.ts";
import { interpolatePosEmbed } from "./pos-embed.ts";

export type VitModel = { meta: ModelMeta; weights: VitWeights; /** input side the weights are prepared for */ inputSize: number };

// Initializers the ONNX graph adds beside the timm tensors (constants for onnxruntime only); "rollout_*" are the
// attention-rollout constants of models/rollout-graph.ts.
const GRAPH_CONSTANTS = new Set(["attn_scale", "const_half", "const_one", "const_inv_sqrt2", "temperature"]);
const isGraphConstant = (name: string) => GRAPH_CONSTANTS.has(name) || name.startsWith("rollout_");

/** inputSize: e.g. 448 to interpolate the position embedding to a 28x28 grid (N = 785); default the trained size. */
export function vitModelFromOnnx(bytes: Uint8Array, opts: { inputSize?: number } = {}): VitModel {
  const file = readOnnxModel(bytes);
  const meta = parseModelMeta(file.metadata);
  const tensors = new Map([...file.initializers].filter(([k]) => !isGraphConstant(k)));
  const { weights, report } = loadVitWeights(tensors, {
    ...meta,
    numClasses: meta.labels.length,
    numTokens: (meta.imageSize / meta.patchSize) ** 2 + 1,
  });
  if (report.unused.length) throw new Error(`ONNX file has weights the engine does not use: ${report.unused.join(", ")}`);
  const inputSize = opts.inputSize ?? meta.imageSize;
  if (inputSize % meta.patchSize !== 0) throw new Error(`inputSize ${inputSize} is not a multiple of the patch size ${meta.patchSize}`);
  if (inputSize !== meta.imageSize) weights.posEmbed = interpolatePosEmbed(weights.posEmbed, meta.embedDim, inputSize / meta.patchSize);
  return { meta, weights, inputSize };
}
