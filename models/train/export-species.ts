// Thin wrapper over models/export-vit.ts (owned by the ViT worker): exports backbone + trained species head and adds
// the metadata keys the species model needs beyond ModelMeta (abstain threshold, catalog links, edibility).
import { exportVitOnnx } from "../export-vit.ts";
import { modelProtoType } from "../../lib/vit/onnx/proto.ts";
import { readOnnxModel } from "../../lib/vit/onnx/read.ts";
import type { LinearHead } from "./linear-head.ts";
import { abstainThresholdProblem } from "../../lib/verdict/thresholds.ts";

export type SpeciesModelExtras = {
  /** Catalog Species.id for each label, in head order. */
  speciesIds: number[];
  slugs: string[];
  edibility: string[];
  abstainThreshold: number;
  /** Short description of the training run (split seed, card file) for provenance. */
  trainingRun: string;
};

const EXTRA_KEYS = ["species_ids", "species_slugs", "species_edibility", "abstain_threshold", "training_run"] as const;

export function exportSpeciesModel(o: { backboneDir: string; modelId: string; head: LinearHead; labels: string[]; temperature: number; extras: SpeciesModelExtras; depth?: number }): Uint8Array {
  const problem = abstainThresholdProblem(o.extras.abstainThreshold);
  if (problem) throw new Error(`refusing to export ${o.modelId}: ${problem}`);
  const bytes = exportVitOnnx({
    backboneDir: o.backboneDir,
    modelId: o.modelId,
    head: { weight: Float32Array.from(o.head.weight), bias: Float32Array.from(o.head.bias), labels: o.labels },
    temperature: o.temperature,
    depth: o.depth,
  });
  const Model = modelProtoType();
  const model = Model.toObject(Model.decode(bytes), { defaults: false }) as { metadata_props: { key: string; value: string }[] };
  model.metadata_props.push(
    { key: "species_ids", value: JSON.stringify(o.extras.speciesIds) },
    { key: "species_slugs", value: JSON.stringify(o.extras.slugs) },
    { key: "species_edibility", value: JSON.stringify(o.extras.edibility) },
    { key: "abstain_threshold", value: String(o.extras.abstainThreshold) },
    { key: "training_run", value: o.extras.trainingRun },
  );
  return Model.encode(Model.fromObject(model)).finish();
}

export function readSpeciesExtras(bytes: Uint8Array): SpeciesModelExtras {
  const m = readOnnxModel(bytes).metadata;
  const missing = EXTRA_KEYS.filter((k) => m[k] === undefined);
  if (missing.length) throw new Error(`not a species model: metadata lacks ${missing.join(", ")}`);
  return {
    speciesIds: JSON.parse(m.species_ids!) as number[],
    slugs: JSON.parse(m.species_slugs!) as string[],
    edibility: JSON.parse(m.species_edibility!) as string[],
    abstainThreshold: Number(m.abstain_threshold),
    trainingRun: m.training_run!,
  };
}
