// Species the model lacks: users photograph taxa the catalog has no class for, and those must get their genus right
// or an honest "not sure", never a confident wrong species. Measured by k-fold over held-out species: each fold
// drops a seeded share of the species classes from training (head, temperature and prototypes retrained without
// them, with the served recipe) and runs the held-out species' validation and test photos through the site's own
// annotation and verdict. Every eligible species is held out in exactly one fold.
import { annotateDistribution, decideVerdict } from "../../lib/verdict/index.ts";
import { annotateLabel } from "../../lib/verdict/annotate.ts";
import { DANGEROUS, LISTED_EDIBLE } from "../../lib/edibility/types.ts";
import { fuseWithPrototypes, fusedLabels, type PrototypeSet } from "../../lib/identify/prototypes.ts";
import { headLogitsOf, trainHead, type HeadSample } from "./finetune/head-only.ts";
import type { FinetuneOptions } from "./finetune/train.ts";
import { seededRandom, shuffleInPlace } from "./rng.ts";
import { fitTemperatureFor, photoProbs, taxonPrototypes } from "./species-variants.ts";

/** A validation or test photo of a class: the served features of its centre crop and of its mirror image. */
export type UnseenPhoto = { classIndex: number; side: "val" | "test"; source: string; orig: Float32Array; flip: Float32Array };

export type UnseenInput = {
  /** Class labels (accepted names) and which classes may be held out (species rank). */
  labels: readonly string[];
  eligible: readonly boolean[];
  D: number;
  /** Training views with the served features; `allowed` as in training (several classes for a genus label). */
  train: readonly HeadSample[];
  photos: readonly UnseenPhoto[];
  probe: FinetuneOptions;
  tta: boolean;
  /** The served prototype fusion (alpha and temperature), or null when none is served. */
  fusion: { alpha: number; temperature: number } | null;
  abstainThreshold: number;
  folds: number;
  seed: number;
};

/** named-wrong: a species (or a taxon of another genus) named with confidence; named-section: a section or species
 * group of the photo's own genus named (whether it contains the species is not recorded in the taxonomy). */
export type UnseenOutcome = "named-wrong" | "named-section" | "genus-right" | "genus-wrong" | "not-sure";

export type UnseenResult = {
  folds: number;
  heldOutTaxa: number;
  photos: number;
  outcomes: Record<UnseenOutcome, number>;
  /** Photos whose genus keeps other classes in the fold's model (a genus answer can be right) and the rest. */
  genusInModel: { photos: number; genusRight: number; namedWrong: number };
  genusAbsent: { photos: number; notSure: number; namedWrong: number };
  /** Held-out poisonous/deadly photos: shown as edible, and warned about (danger, lookalike or genus warning). */
  dangerous: { photos: number; shownEdible: number; warned: number };
  /** The taxa named with confidence, most confident first (at most 12). */
  named: { truth: string; named: string; probability: number; side: "val" | "test"; outcome: "named-wrong" | "named-section" }[];
};

/** Partition of the eligible classes into `folds` seeded folds (fold of each class, -1 when not eligible). */
export function unseenFolds(eligible: readonly boolean[], folds: number, seed: number): Int32Array {
  const ids = shuffleInPlace(
    eligible.flatMap((e, c) => (e ? [c] : [])),
    seededRandom(seed),
  );
  const fold = new Int32Array(eligible.length).fill(-1);
  ids.forEach((c, k) => (fold[c] = k % folds));
  return fold;
}

export function evaluateUnseenSpecies(o: UnseenInput): UnseenResult {
  const C = o.labels.length;
  const fold = unseenFolds(o.eligible, o.folds, o.seed);
  const outcomes: Record<UnseenOutcome, number> = { "named-wrong": 0, "named-section": 0, "genus-right": 0, "genus-wrong": 0, "not-sure": 0 };
  const genusInModel = { photos: 0, genusRight: 0, namedWrong: 0 };
  const genusAbsent = { photos: 0, notSure: 0, namedWrong: 0 };
  const dangerous = { photos: 0, shownEdible: 0, warned: 0 };
  const named: UnseenResult["named"] = [];
  let photos = 0;
  const genusOf = o.labels.map((l) => annotateLabel(l).genus ?? l.split(" ")[0]!);

  for (let f = 0; f < o.folds; f++) {
    const keep = Array.from({ length: C }, (_, c) => c).filter((c) => fold[c] !== f);
    const held = o.photos.filter((p) => fold[p.classIndex] === f);
    if (held.length === 0 || keep.length < 2) continue;
    const to = new Int32Array(C).fill(-1);
    keep.forEach((c, k) => (to[c] = k));
    const K = keep.length;
    const labels = keep.map((c) => o.labels[c]!);

    // The served recipe without the held-out classes: head, temperature on the kept classes' validation photos, prototypes.
    const train = o.train.flatMap((s) => {
      const allowed = s.allowed.flatMap((c) => (to[c]! >= 0 ? [to[c]!] : []));
      return allowed.length ? [{ rec: s.rec, allowed }] : [];
    });
    const head = trainHead(train, K, o.D, o.probe);
    const logits = (list: readonly UnseenPhoto[], view: "orig" | "flip") => {
      const x = new Float32Array(list.length * o.D);
      list.forEach((p, i) => x.set(p[view], i * o.D));
      return headLogitsOf(head, x, K, o.D);
    };
    const calib = o.photos.filter((p) => p.side === "val" && to[p.classIndex]! >= 0);
    const T = fitTemperatureFor({ orig: logits(calib, "orig"), flip: logits(calib, "flip") }, calib.map((p) => to[p.classIndex]!), K, o.tta);
    let protoSet: PrototypeSet | null = null;
    if (o.fusion) protoSet = { dim: o.D, ...o.fusion, taxa: taxonPrototypes(labels, train.map((s) => ({ feat: s.rec.feat, allowed: s.allowed }))) };
    const served = fusedLabels(labels, protoSet);
    const probs = photoProbs({ orig: logits(held, "orig"), flip: logits(held, "flip") }, K, T, o.tta);
    const genera = new Set(keep.map((c) => genusOf[c]!));

    held.forEach((p, n) => {
      photos++;
      const truth = o.labels[p.classIndex]!;
      const genus = genusOf[p.classIndex]!;
      const row = fuseWithPrototypes(labels, probs.subarray(n * K, (n + 1) * K), p.orig, protoSet);
      const { candidates, genera: info } = annotateDistribution({ labels: served, probs: row });
      const v = decideVerdict(candidates, { abstainThreshold: o.abstainThreshold }, info);
      const lead = v.leading;
      const outcome: UnseenOutcome =
        v.status === "identified"
          ? lead!.rank !== "species" && annotateLabel(lead!.scientificName).genus === genus
            ? "named-section"
            : "named-wrong"
          : v.status === "genus"
            ? lead?.scientificName === genus
              ? "genus-right"
              : "genus-wrong"
            : "not-sure";
      outcomes[outcome]++;
      if (genera.has(genus)) {
        genusInModel.photos++;
        if (outcome === "genus-right") genusInModel.genusRight++;
        if (outcome === "named-wrong") genusInModel.namedWrong++;
      } else {
        genusAbsent.photos++;
        if (outcome === "not-sure") genusAbsent.notSure++;
        if (outcome === "named-wrong") genusAbsent.namedWrong++;
      }
      if (outcome === "named-wrong" || outcome === "named-section") named.push({ truth, named: lead!.scientificName, probability: lead!.probability, side: p.side, outcome });
      if (DANGEROUS.has(annotateLabel(truth).edibility)) {
        dangerous.photos++;
        if (v.status === "identified" && LISTED_EDIBLE.has(v.leading!.edibility)) dangerous.shownEdible++;
        if (v.warnings.some((w) => w.kind === "danger" || w.kind === "dangerous-lookalike" || w.kind === "dangerous-genus")) dangerous.warned++;
      }
    });
  }
  named.sort((a, b) => b.probability - a.probability || a.truth.localeCompare(b.truth));
  return {
    folds: o.folds,
    heldOutTaxa: o.eligible.filter(Boolean).length,
    photos,
    outcomes,
    genusInModel,
    genusAbsent,
    dangerous,
    named: named.slice(0, 12),
  };
}
