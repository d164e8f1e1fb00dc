// The model card: one JSON object (what model:evaluate checks against) rendered to markdown with SVG plots.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { EmbedStats } from "../train/embed.ts";
import type { Evaluation } from "../train/metrics.ts";
import type { TrainOptions } from "../train/linear-head.ts";
import { perSpeciesSvg, reliabilitySvg } from "./plots.ts";

export const GOALS = { top1: 0.75, top5: 0.93, ece: 0.05, dangerousShownEdible: 0 } as const;

export const BACKBONE_ATTRIBUTION =
  "Backbone: Google AugReg ViT-Ti/16 (Steiner et al. 2021, \"How to train your ViT? Data, Augmentation, and Regularization in Vision Transformers\"), timm port `vit_tiny_patch16_224.augreg_in21k_ft_in1k`, Apache-2.0. This copy was rebuilt from codr-shiv/VisionTransformer (commit b2d262d), bit-identical to the Hugging Face port. Models derived from these weights carry this NOTICE.";

export type ModelCard = {
  kind: "species-model" | "mechanism-test";
  modelId: string;
  createdAt: string;
  model: { file: string; sha256: string; labels: string[]; speciesIds: number[]; temperature: number; abstainThreshold: number };
  data: {
    speciesInCatalog: number;
    approvedPhotos: number;
    speciesTrained: number;
    photosUsed: number;
    excludedSpecies: { scientificName: string; independentPhotos: number }[];
    sources: { key: string; name: string; licence: string; photos: number }[];
  };
  split: {
    seed: number;
    valFraction: number;
    testFraction: number;
    nearDuplicateBits: number;
    groups: number;
    photos: { train: number; val: number; test: number };
    views: { train: number; val: number; test: number };
    mechanismNote?: string;
    assignmentDigest: string;
    valPhotos: string[];
    testPhotos: { contentHash: string; label: string }[];
  };
  features: { backboneFingerprint: string; augmentViews: number; augmentSeed: number; embed: Record<string, EmbedStats> };
  head: { kind: string; train: TrainOptions; trials: { weightDecay: number; valTop1: number; valNll: number; temperature: number }[]; lossFirst: number; lossLast: number };
  calibration: { temperature: number; valNllBefore: number; valNllAfter: number };
  abstain: { threshold: number; targetAccuracy: number; valCoverage: number; valSelectiveAccuracy: number };
  results: { trained: Evaluation; prototype: Evaluation; prototypeTemperature: number; fineTuned: { status: "not done"; reason: string } };
  timings: Record<string, number>;
};

export function readModelCard(file: string): ModelCard {
  return JSON.parse(readFileSync(file, "utf8")) as ModelCard;
}

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
const verdict = (mech: boolean) => (ok: boolean) => (mech ? "n/a (mechanism test)" : ok ? "met" : "**not met**");

function resultRow(name: string, e: Evaluation): string {
  const s = e.safety;
  return `| ${name} | ${pct(e.top1)} | ${pct(e.top5)} | ${e.macroF1.toFixed(3)} | ${e.ece.toFixed(3)} | ${e.nll.toFixed(3)} | ${s.dangerousShownEdible}/${s.dangerousTruth} | ${s.edibleShownDangerous}/${s.edibleTruth} | ${e.abstain.threshold.toFixed(3)} | ${pct(e.abstain.coverage)} | ${pct(e.abstain.selectiveAccuracy)} | ${e.abstain.safety.dangerousShownEdible} |`;
}

export function renderCardMarkdown(c: ModelCard): string {
  const t = c.results.trained;
  const mech = c.kind === "mechanism-test";
  const yes = verdict(mech);
  const lines = [
    `# Model card: ${c.modelId}${mech ? " (MECHANISM TEST, not a species model)" : ""}`,
    "",
    mech
      ? `> ${c.split.mechanismNote}\n> No model trained on these photos may be shipped as a mushroom identifier.`
      : "> Species identifier trained on the catalog's approved photos. Never rely on it alone to eat a wild mushroom.",
    "",
    `Created ${c.createdAt}. Model file \`${c.model.file}\` (sha256 \`${c.model.sha256.slice(0, 16)}…\`), ${c.model.labels.length} labels (catalog scientific names; species ids in the ONNX metadata \`species_ids\`), calibration temperature ${c.model.temperature.toFixed(4)}, abstain threshold ${c.model.abstainThreshold.toFixed(4)}.`,
    "",
    "## Data",
    "",
    `- Catalog: ${c.data.speciesInCatalog} species, ${c.data.approvedPhotos} approved photos; trained on ${c.data.speciesTrained} species, ${c.data.photosUsed} photos.`,
    `- Species left out for having fewer than 3 independent photos: ${c.data.excludedSpecies.length ? c.data.excludedSpecies.map((e) => `${e.scientificName} (${e.independentPhotos})`).join(", ") : "none"}.`,
    "",
    "| source | name | licence | photos |",
    "|---|---|---|---|",
    ...c.data.sources.map((s) => `| ${s.key} | ${s.name} | ${s.licence} | ${s.photos} |`),
    "",
    "## Split",
    "",
    `Grouped by source photo: identical content hashes and near-duplicates (dHash of the grayscale image, also mirrored, within ${c.split.nearDuplicateBits} of 64 bits) are joined by union-find and move as one group; groups are split per species with seed ${c.split.seed} (validation ${c.split.valFraction}, test ${c.split.testFraction}). ${c.split.groups} groups. Assignment digest \`${c.split.assignmentDigest.slice(0, 16)}…\`; the validation and test photo hashes are listed in card.json.`,
    "",
    "| side | photos | views embedded |",
    "|---|---|---|",
    ...(["train", "val", "test"] as const).map((s) => `| ${s} | ${c.split.photos[s]} | ${c.split.views[s]} |`),
    "",
    `Training views: the original centre crop plus ${c.features.augmentViews} augmented views per photo (random resized crop, horizontal flip, brightness/saturation/hue jitter; seed ${c.features.augmentSeed}); validation and test use the plain centre crop only.${mech ? " (Mechanism test: see the note above.)" : ""}`,
    "",
    "## Held-out test results",
    "",
    "ECE over 15 equal-width bins of top-1 probability; macro-F1 over the species present in the test split; the abstain columns apply the threshold chosen on validation.",
    "",
    "| head | top-1 | top-5 | macro-F1 | ECE | NLL | poisonous/deadly shown edible | edible shown poisonous/deadly | abstain threshold (val) | coverage | accuracy answered | dangerous shown edible after abstaining |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|",
    resultRow("trained linear head (shipped)", t),
    resultRow("prototype head (cosine to species means)", c.results.prototype),
    `| fine-tuned last blocks (WebGPU) | ${c.results.fineTuned.status} | | | | | | | | | | |`,
    "",
    `Fine-tuning: ${c.results.fineTuned.reason}`,
    "",
    `Edibility comes from the catalog's Species.edibility; UNKNOWN counts as not edible. ${t.safety.dangerousTruth === 0 ? "No test photo has a poisonous or deadly truth, so the safety count says nothing yet." : ""}`,
    "",
    "### Goals (held-out test)",
    "",
    "| goal | target | reached | |",
    "|---|---|---|---|",
    `| top-1 | >= ${pct(GOALS.top1)} | ${pct(t.top1)} | ${yes(t.top1 >= GOALS.top1)} |`,
    `| top-5 | >= ${pct(GOALS.top5)} | ${pct(t.top5)} | ${yes(t.top5 >= GOALS.top5)} |`,
    `| ECE | <= ${GOALS.ece} | ${t.ece.toFixed(4)} | ${yes(t.ece <= GOALS.ece)} |`,
    `| poisonous/deadly shown edible | 0 | ${t.safety.dangerousShownEdible} | ${yes(t.safety.dangerousShownEdible === 0)} |`,
    "",
    mech ? "The goals apply to a real species model on a photo-grouped split; this mechanism test neither meets nor misses them." : "",
    "",
    "## Training",
    "",
    `${c.head.kind}; ${c.head.train.epochs} epochs, batch ${c.head.train.batchSize}, learning rate ${c.head.train.learningRate}, seed ${c.head.train.seed}. Weight decay chosen on validation NLL after temperature scaling:`,
    "",
    "| weight decay | val top-1 | val NLL (calibrated) | temperature |",
    "|---|---|---|---|",
    ...c.head.trials.map((r) => `| ${r.weightDecay} | ${pct(r.valTop1)} | ${r.valNll.toFixed(4)} | ${r.temperature.toFixed(3)} |`),
    "",
    `Chosen ${c.head.train.weightDecay}: training loss ${c.head.lossFirst.toFixed(4)} (first epoch) -> ${c.head.lossLast.toFixed(4)} (last). Temperature ${c.calibration.temperature.toFixed(4)} fitted on validation: NLL ${c.calibration.valNllBefore.toFixed(4)} -> ${c.calibration.valNllAfter.toFixed(4)}.`,
    "",
    `Abstain threshold ${c.abstain.threshold.toFixed(4)}: the lowest top-1 probability at which answered validation photos reach ${pct(c.abstain.targetAccuracy)} accuracy with no poisonous/deadly photo shown as edible (validation coverage ${pct(c.abstain.valCoverage)}, accuracy answered ${pct(c.abstain.valSelectiveAccuracy)}).`,
    "",
    "## Plots",
    "",
    "![Reliability diagram](reliability.svg)",
    "",
    "![Per-species accuracy](per-species.svg)",
    "",
    "## Run time (seconds)",
    "",
    Object.entries(c.timings).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(", "),
    "",
    "## Backbone and licence",
    "",
    BACKBONE_ATTRIBUTION,
    "",
    "Reproduce these numbers from the shipped model: `npm run model:evaluate -- --card <this folder>/card.json`.",
    "",
  ];
  return lines.join("\n");
}

/** Writes card.json, card.md and the plots into `dir`; returns the card.json path. */
export function writeModelCard(c: ModelCard, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "card.json");
  writeFileSync(file, JSON.stringify(c, null, 1) + "\n");
  writeFileSync(path.join(dir, "card.md"), renderCardMarkdown(c));
  writeFileSync(path.join(dir, "reliability.svg"), reliabilitySvg(c.results.trained.reliability, `Reliability, held-out test (ECE ${c.results.trained.ece.toFixed(3)})`));
  writeFileSync(path.join(dir, "per-species.svg"), perSpeciesSvg(c.results.trained.perSpecies, "Per-species top-1 accuracy, held-out test"));
  return file;
}
