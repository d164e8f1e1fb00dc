// Builds the single ONNX artifact both runtimes read: backbone weights (timm safetensors), an optional replacement
// head {weight [C,D], bias [C], labels} with calibration temperature, and metadata_props (labels, preprocessing).
import { readFileSync } from "node:fs";
import path from "node:path";
import { readSafetensors, type NamedTensor } from "./safetensors.ts";
import { buildVitGraph } from "./vit-graph.ts";
import { modelProtoType } from "../lib/vit/onnx/proto.ts";
import { formatModelMeta, type ModelMeta } from "../lib/vit/model-meta.ts";
import { loadVitWeights } from "../lib/vit/weights.ts";

export const BACKBONE_FILE = "vit_tiny_patch16_224.augreg_in21k_ft_in1k.safetensors";

export type HeadSpec = { weight: Float32Array; bias: Float32Array; labels: string[] };

export type ExportOptions = {
  backboneDir: string;
  modelId: string;
  /** Replaces the ImageNet head (a species head from the training pipeline). */
  head?: HeadSpec;
  temperature?: number;
  /** Ablation/test hook: keep only the first `depth` blocks. */
  depth?: number;
  /** Replaces backbone tensors by timm name (a fine-tuned last block and final norm); shapes must match. */
  overrides?: ReadonlyMap<string, NamedTensor>;
  /** Store the weight matrices in half precision (expanded to float32 at load by every runtime): half the download. */
  halfWeights?: boolean;
  /** Training only: also output the tokens entering block `i` as `block_input` [B, N, D]. */
  blockInputOf?: number;
  /** Extra metadata_props (training provenance, thresholds, hierarchy). */
  extraMetadata?: Record<string, string>;
};

const ATTRIBUTION =
  "Apache-2.0. Backbone: Google AugReg ViT-Ti/16 (Steiner et al. 2021, 'How to train your ViT'), timm port vit_tiny_patch16_224.augreg_in21k_ft_in1k.";

/** The ViT-Ti/16 architecture and timm eval preprocessing (backbone README). */
export function backboneMeta(labels: string[], modelId: string, temperature = 1): ModelMeta {
  return {
    modelId,
    labels,
    imageSize: 224,
    resizeSize: 248,
    interpolation: "bicubic",
    mean: [0.5, 0.5, 0.5],
    std: [0.5, 0.5, 0.5],
    temperature,
    patchSize: 16,
    embedDim: 192,
    depth: 12,
    numHeads: 3,
    mlpDim: 768,
    layerNormEps: 1e-6,
    license: ATTRIBUTION,
    tta: "none",
  };
}

export function readImagenetLabels(backboneDir: string): string[] {
  return readFileSync(path.join(backboneDir, "imagenet1k_labels.txt"), "utf8").split("\n").map((s) => s.trim()).filter(Boolean);
}

/** The serialized ONNX ModelProto. */
export function exportVitOnnx(opts: ExportOptions): Uint8Array {
  const tensors = readSafetensors(path.join(opts.backboneDir, BACKBONE_FILE));
  let labels = readImagenetLabels(opts.backboneDir);
  if (opts.head) {
    const { weight, bias, labels: l } = opts.head;
    const C = l.length;
    if (bias.length !== C || weight.length !== C * 192) {
      throw new Error(`head: ${C} labels need weight [${C},192] and bias [${C}], got ${weight.length} and ${bias.length} values`);
    }
    tensors.set("head.weight", { shape: [C, 192], data: weight } satisfies NamedTensor);
    tensors.set("head.bias", { shape: [C], data: bias });
    labels = l;
  }
  for (const [name, t] of opts.overrides ?? []) {
    const have = tensors.get(name);
    if (!have) throw new Error(`override ${name}: no such backbone tensor`);
    if (have.shape.join() !== t.shape.join()) throw new Error(`override ${name}: shape [${t.shape}] but the backbone has [${have.shape}]`);
    tensors.set(name, t);
  }
  const temperature = opts.temperature ?? 1;
  if (!(temperature > 0)) throw new Error(`temperature must be > 0, got ${temperature}`);
  const meta = backboneMeta(labels, opts.modelId, temperature);
  if (opts.depth !== undefined) meta.depth = opts.depth;
  for (let i = meta.depth; i < 12; i++) for (const k of [...tensors.keys()]) if (k.startsWith(`blocks.${i}.`)) tensors.delete(k);
  const { weights, report } = loadVitWeights(tensors, { ...meta, numClasses: labels.length, numTokens: 197 });
  if (report.unused.length) throw new Error(`backbone has tensors the model does not use: ${report.unused.join(", ")}`);
  if (labels.length !== weights.head.bias.length) throw new Error(`${labels.length} labels for ${weights.head.bias.length} head outputs`);

  const Model = modelProtoType();
  const model = {
    ir_version: 8,
    producer_name: "mushroom-id models/export-vit.ts",
    producer_version: "1",
    model_version: 1,
    doc_string: ATTRIBUTION,
    opset_import: [{ domain: "", version: 17 }],
    graph: buildVitGraph(weights, meta, { blockInputOf: opts.blockInputOf, halfWeights: opts.halfWeights }),
    metadata_props: Object.entries({ ...formatModelMeta(meta), ...opts.extraMetadata }).map(([key, value]) => ({ key, value })),
  };
  const err = Model.verify(model);
  if (err) throw new Error(`ONNX ModelProto invalid: ${err}`);
  return Model.encode(Model.fromObject(model)).finish();
}
