// The species model's card: what was trained on what, each variant side by side on one split, the served model's
// own held-out numbers (recomputed by model:evaluate from the shipped ONNX), per source and per species, the
// dangerous confusions, the verdict's safety, calibration and timings. JSON is the record; markdown is rendered.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { SpeciesEval } from "../train/species-eval.ts";
import type { UnseenResult } from "../train/species-unseen.ts";
import { BACKBONE_ATTRIBUTION, GOALS } from "./card.ts";

export type VariantRow = { name: string; tta: boolean; served: boolean; temperature: number; valNll: number; valTop1: number; test: { n: number; top1: number; top5: number; ece: number; nll: number } };

export type SpeciesCard = {
  kind: "species-model";
  modelId: string;
  createdAt: string;
  model: {
    file: string;
    sha256: string;
    bytes: number;
    labels: number;
    temperature: number;
    abstainThreshold: number;
    tta: boolean;
    variant: string;
    halfWeights: boolean;
    /** The same model with float32 weights in the file, on the same test photos. */
    float32File: { bytes: number; top1: number; top5: number };
  };
  data: {
    photos: number;
    taxaWithPhotos: number;
    classes: number;
    genusLabels: string[];
    split: { seed: number; photos: { train: number; val: number; test: number }; groups: number; evaluatedSpecies: number; trainOnlyTaxa: number; assignmentDigest: string };
    sources: { key: string; photos: number }[];
    testPhotos: { contentHash: string; taxon: string }[];
  };
  training: {
    probeTrials: { epochs: number; valNll: number }[];
    fineTune: { epochs: number; bestEpoch: number; curve: { epoch: number; trainLoss: number; valNll: number; valTop1: number; seconds: number }[]; options: Record<string, number> };
    embed: Record<string, { requested: number; cached: number; computed: number }>;
  };
  variants: VariantRow[];
  notMeasured: { name: string; reason: string }[];
  served: SpeciesEval;
  abstain: { threshold: number; targetAccuracy: number; valCoverage: number };
  /** Species the model lacks (k-fold over held-out species); absent from cards written before it was measured. */
  unseen?: UnseenResult & { probeEpochs: number; features: string };
  /** The prototype head fused with the served head (shipped means; approvals add to them without retraining). */
  prototypes: { taxa: number; temperature: number; alpha: number; valNll: number; headValNll: number };
  timings: Record<string, number>;
  machine: string;
};

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
const met = (ok: boolean) => (ok ? "met" : "**not met**");

export function renderSpeciesCard(c: SpeciesCard): string {
  const s = c.served;
  const L: string[] = [];
  L.push(`# Model card: ${c.modelId}`, "");
  L.push(`Mushroom species classifier: ViT-Ti/16 backbone, ${c.model.variant}${c.model.tta ? ", mirrored view averaged at test time" : ""}; ${c.model.labels} classes. Created ${c.createdAt} on ${c.machine}.`, "");
  L.push("**Never eat a wild mushroom on the strength of this model.** It is wrong on many photos (numbers below), it knows only the taxa it was trained on, and the site adds danger warnings, a genus-level answer and \"not sure\" on top of it.", "");
  L.push("## Goals (held-out test photos of species with 3+ independent photos)", "");
  L.push("| measure | goal | served model | |", "|---|---|---|---|");
  L.push(`| top-1 | >= ${pct(GOALS.top1)} | ${pct(s.species.top1)} | ${met(s.species.top1 >= GOALS.top1)} |`);
  L.push(`| top-5 | >= ${pct(GOALS.top5)} | ${pct(s.species.top5)} | ${met(s.species.top5 >= GOALS.top5)} |`);
  L.push(`| ECE (after calibration) | <= ${GOALS.ece} | ${s.species.ece.toFixed(3)} (before: ${s.eceBeforeCalibration?.toFixed(3) ?? "n/a"}) | ${met(s.species.ece <= GOALS.ece)} |`);
  L.push(`| poisonous/deadly truths shown as edible (all sources) | 0 | ${s.verdict.shownEdibleDangerous} | ${met(s.verdict.shownEdibleDangerous === 0)} |`);
  if (c.unseen) {
    const u = c.unseen;
    const named = u.outcomes["named-wrong"];
    L.push(`| species the model lacks: genus or "not sure", never a confident wrong species | 0 wrong taxa named | ${named} of ${u.photos} (${pct(named / Math.max(1, u.photos))}) | ${met(named === 0)} |`);
  }
  L.push("", `Test: ${s.species.n} photos whose taxon is a class; genus-level top-1 over all ${s.genusTop1.n} test photos (including genus-only labels): ${pct(s.genusTop1.top1)}.`, "");
  L.push("## Variants on the same split (chosen on validation NLL among those every backend serves)", "");
  L.push("| variant | served | val NLL | val top-1 | test top-1 | test top-5 | test ECE | test NLL |", "|---|---|---|---|---|---|---|---|");
  for (const v of c.variants) L.push(`| ${v.name}${v.tta ? " + mirror TTA" : ""} | ${v.served ? "**yes**" : ""} | ${v.valNll.toFixed(3)} | ${pct(v.valTop1)} | ${pct(v.test.top1)} | ${pct(v.test.top5)} | ${v.test.ece.toFixed(3)} | ${v.test.nll.toFixed(3)} |`);
  const f = c.model.float32File;
  L.push("", `Download: ${(c.model.bytes / 2 ** 20).toFixed(1)} MiB with ${c.model.halfWeights ? "half-precision" : "float32"} weights (float32 file: ${(f.bytes / 2 ** 20).toFixed(1)} MiB, test top-1 ${pct(f.top1)}, top-5 ${pct(f.top5)}; served: ${pct(s.species.top1)}, ${pct(s.species.top5)}: ${Math.abs(f.top1 - s.species.top1) <= 0.005 && Math.abs(f.top5 - s.species.top5) <= 0.005 ? "within" : "**not** within"} 0.5 point).`);
  L.push(
    "",
    `Served: the head fused with a prototype head (${c.prototypes.taxa} taxon means of the training features): ` +
      `p = ${c.prototypes.alpha} x head + ${(1 - c.prototypes.alpha).toFixed(1)} x softmax(cosine / ${c.prototypes.temperature}), chosen on validation ` +
      `(NLL ${c.prototypes.valNll.toFixed(3)} vs ${c.prototypes.headValNll.toFixed(3)} for the head alone; the head's share is capped at 0.9 so that a ` +
      "taxon added by a reviewer's approvals can be recognised without retraining). The served rows below include this fusion.",
  );
  L.push("", "Variant rows are computed in float32 in TypeScript from cached activations; the served row below is the shipped ONNX (half-precision head and fine-tuned weights) run by onnxruntime-node on the photos.", "");
  for (const n of c.notMeasured) L.push(`- Not measured: ${n.name}: ${n.reason}`);
  L.push(`- Multi-photo fusion (the site pools the photos of one find): on ${s.fusion.pairs} pairs of test photos of one taxon, top-1 ${pct(s.fusion.top1Single)} per single photo, ${pct(s.fusion.top1Pooled)} pooled.`);
  L.push("", "## The served model's verdicts on the test photos", "");
  L.push(`Abstain threshold ${c.abstain.threshold.toFixed(3)} (chosen on validation: lowest with ${pct(c.abstain.targetAccuracy)} accuracy and no poisonous/deadly photo shown as edible; validation coverage ${pct(c.abstain.valCoverage)}).`, "");
  L.push(`Identified ${s.verdict.identified} (${pct(s.verdict.coverage)}; ${pct(s.verdict.identifiedAccuracy)} of them right), genus only ${s.verdict.genus}, not sure ${s.verdict.notSure}.`, "");
  L.push("| source | poisonous/deadly test photos | shown as edible | warned |", "|---|---|---|---|");
  for (const r of s.verdict.safety) L.push(`| ${r.source} | ${r.dangerousTruth} | ${r.shownEdible} | ${r.warned} |`);
  if (c.unseen) renderUnseen(L, c.unseen);
  L.push("", "## Accuracy per source (test)", "", "| source | photos | top-1 | top-5 |", "|---|---|---|---|");
  for (const r of s.bySource) L.push(`| ${r.source} | ${r.n} | ${pct(r.top1)} | ${pct(r.top5)} |`);
  L.push("", "## Most confused pairs involving a poisonous or deadly species (test, top-1)", "", "| truth | predicted | count |", "|---|---|---|");
  for (const d of s.dangerousConfusions.slice(0, 25)) L.push(`| ${d.truth} (${d.truthEdibility}) | ${d.predicted} (${d.predictedEdibility}) | ${d.count} |`);
  L.push("", "## Per species (test)", "", "| taxon | photos | right |", "|---|---|---|");
  for (const p of s.perSpecies) L.push(`| ${p.taxon} | ${p.n} | ${p.correct} |`);
  L.push("", "## Data", "");
  L.push(`${c.data.photos} approved photos of ${c.data.taxaWithPhotos} taxa; ${c.data.classes} classes (${c.data.genusLabels.length} genus-only labels supervise their genus's classes: ${c.data.genusLabels.join(", ") || "none"}).`);
  L.push(`Grouped split (seed ${c.data.split.seed}; identical and near-duplicate photos across all sources share a group): train ${c.data.split.photos.train}, validation ${c.data.split.photos.val}, test ${c.data.split.photos.test} photos; ${c.data.split.evaluatedSpecies} taxa with 3+ independent photos are evaluated, ${c.data.split.trainOnlyTaxa} with fewer are trained on only. Assignment digest \`${c.data.split.assignmentDigest.slice(0, 16)}…\`.`, "");
  L.push("| source | photos |", "|---|---|");
  for (const r of c.data.sources) L.push(`| ${r.key} | ${r.photos} |`);
  L.push("", "## Training", "");
  L.push(`Linear probe lengths tried (val NLL): ${c.training.probeTrials.map((t) => `${t.epochs} epochs ${t.valNll.toFixed(3)}`).join(", ")}.`);
  L.push(`Fine-tuning of the last block on the class-token path (cached LayerNorm-1 activations, AdamW, ${c.training.fineTune.epochs} epochs; best epoch ${c.training.fineTune.bestEpoch}, 0 = the probe's start):`, "");
  L.push("| epoch | train loss | val NLL | val top-1 | seconds |", "|---|---|---|---|---|");
  for (const e of c.training.fineTune.curve) L.push(`| ${e.epoch} | ${Number.isNaN(e.trainLoss) ? "" : e.trainLoss.toFixed(3)} | ${e.valNll.toFixed(3)} | ${pct(e.valTop1)} | ${e.seconds.toFixed(1)} |`);
  const steps = Object.entries(c.timings).filter(([k]) => k !== "total");
  const total = c.timings.total ?? steps.reduce((a, [, v]) => a + v, 0);
  L.push("", `Timings on ${c.machine} (seconds): ${steps.map(([k, v]) => `${k} ${v.toFixed(1)}`).join(", ")}; total ${total.toFixed(0)} s.`, "");
  L.push("## Licence", "", BACKBONE_ATTRIBUTION, "", "Training photos: see the catalog's per-photo credits (mushroom.world photos: all rights reserved, used for training and evaluation only; Mushroom Observer photos: CC licences per photo; Kaggle-215 sample: PDDL-1.0 as stated, unverified).", "");
  return L.join("\n");
}

function renderUnseen(L: string[], u: NonNullable<SpeciesCard["unseen"]>): void {
  const share = (k: number) => `${k} (${pct(k / Math.max(1, u.photos))})`;
  L.push("", "## Species the model lacks", "");
  L.push(
    `Each of the ${u.heldOutTaxa} species classes is held out in one of ${u.folds} folds: the head (linear probe on the ${u.features} features, ${u.probeEpochs} epochs), ` +
      `its temperature and the prototypes are retrained without the fold, and the held-out species' ${u.photos} validation and test photos go through the site's verdict ` +
      "at the served threshold. A right answer is the genus or \"not sure\"; naming any species is wrong.",
    "",
  );
  L.push("| answer | photos |", "|---|---|");
  L.push(`| not sure | ${share(u.outcomes["not-sure"])} |`);
  L.push(`| the right genus | ${share(u.outcomes["genus-right"])} |`);
  L.push(`| a wrong genus | ${share(u.outcomes["genus-wrong"])} |`);
  L.push(`| a section or species group of its genus (membership not recorded) | ${share(u.outcomes["named-section"])} |`);
  L.push(`| a wrong species (or a taxon of another genus) named with confidence | ${share(u.outcomes["named-wrong"])} |`);
  L.push(
    "",
    `Photos whose genus keeps other classes in the model: ${u.genusInModel.photos}, genus named right ${u.genusInModel.genusRight}, a wrong taxon named ${u.genusInModel.namedWrong}. ` +
      `Photos of a genus the model lacks: ${u.genusAbsent.photos}, not sure ${u.genusAbsent.notSure}, a wrong taxon named ${u.genusAbsent.namedWrong}. ` +
      `Poisonous/deadly held-out photos: ${u.dangerous.photos}, shown as edible ${u.dangerous.shownEdible}, with a danger warning ${u.dangerous.warned}.`,
  );
  if (u.named.length) {
    L.push("", "The most confident names given to absent species:", "", "| truth (absent) | named | probability |", "|---|---|---|");
    for (const n of u.named) L.push(`| ${n.truth} | ${n.named}${n.outcome === "named-section" ? " (a section or group of its genus)" : ""} | ${pct(n.probability)} |`);
  }
}

export function writeSpeciesCard(c: SpeciesCard, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const json = path.join(dir, "card.json");
  writeFileSync(json, JSON.stringify(c, null, 1) + "\n");
  writeFileSync(path.join(dir, "card.md"), renderSpeciesCard(c));
  return json;
}

export function readSpeciesCard(file: string): SpeciesCard {
  return JSON.parse(readFileSync(file, "utf8")) as SpeciesCard;
}
