// Held-out evaluation of a species model's photo probabilities: species-level accuracy (photos whose taxon is a
// class), genus-level accuracy (all photos), calibration, per source and per species, the dangerous confusions, and
// the displayed verdict's safety: every test photo runs through the same annotation and verdict as the site.
import { annotateDistribution, decideVerdict } from "../../lib/verdict/index.ts";
import { DANGEROUS, LISTED_EDIBLE } from "../../lib/edibility/types.ts";
import { annotateLabel } from "../../lib/verdict/annotate.ts";
import { expectedCalibrationError, reliabilityBins, type ReliabilityBin } from "./calibration.ts";
import { combinePhotoProbs } from "../../lib/identify/combine.ts";

export type EvalPhoto = { taxon: string; genus: string; source: string; allowed: readonly number[]; isClass: boolean };

export type Scores = { n: number; top1: number; top5: number; ece: number; nll: number };
export type SafetyRow = { source: string; dangerousTruth: number; shownEdible: number; warned: number };
export type SpeciesEval = {
  species: Scores;
  /** ECE of the uncalibrated probabilities (temperature 1), for "before and after calibration". */
  eceBeforeCalibration?: number;
  genusTop1: { n: number; top1: number };
  bySource: { source: string; n: number; top1: number; top5: number }[];
  perSpecies: { taxon: string; n: number; correct: number }[];
  dangerousConfusions: { truth: string; truthEdibility: string; predicted: string; predictedEdibility: string; count: number }[];
  verdict: { identified: number; genus: number; notSure: number; coverage: number; identifiedAccuracy: number; safety: SafetyRow[]; shownEdibleDangerous: number };
  reliability: ReliabilityBin[];
  /** Two test photos of one taxon pooled as the site pools the photos of one find (geometric mean). */
  fusion: { pairs: number; top1Single: number; top1Pooled: number };
};

function argmax(p: Float64Array, at: number, C: number): number {
  let b = 0;
  for (let c = 1; c < C; c++) if (p[at + c]! > p[at + b]!) b = c;
  return b;
}

export function scoreSpecies(probs: Float64Array, photos: readonly EvalPhoto[], C: number): Scores & { conf: Float64Array; correct: boolean[] } {
  const idx = photos.flatMap((p, n) => (p.isClass ? [n] : []));
  let hit1 = 0, hit5 = 0, nll = 0;
  const conf = new Float64Array(idx.length);
  const correct: boolean[] = [];
  idx.forEach((n, k) => {
    const y = photos[n]!.allowed[0]!;
    const row = Array.from(probs.subarray(n * C, (n + 1) * C));
    const order = row.map((v, c) => [v, c] as const).sort((a, b) => b[0] - a[0]);
    const top = order[0]![1];
    conf[k] = order[0]![0];
    correct.push(top === y);
    if (top === y) hit1++;
    if (order.slice(0, 5).some(([, c]) => c === y)) hit5++;
    nll -= Math.log(Math.max(row[y]!, 1e-12));
  });
  const n = idx.length;
  return { n, top1: hit1 / Math.max(1, n), top5: hit5 / Math.max(1, n), ece: expectedCalibrationError(conf, correct), nll: nll / Math.max(1, n), conf, correct };
}

export function evaluateSpecies(probs: Float64Array, photos: readonly EvalPhoto[], labels: readonly string[], abstainThreshold: number, uncalibrated?: Float64Array): SpeciesEval {
  const C = labels.length;
  const s = scoreSpecies(probs, photos, C);
  const genusOf = labels.map((l) => annotateLabel(l).genus ?? l.split(" ")[0]!);
  const edibility = labels.map((l) => annotateLabel(l).edibility);
  // Genus level: the genus holding the most probability (summed over its classes).
  let gHit = 0;
  photos.forEach((p, n) => {
    const mass = new Map<string, number>();
    for (let c = 0; c < C; c++) mass.set(genusOf[c]!, (mass.get(genusOf[c]!) ?? 0) + probs[n * C + c]!);
    const best = [...mass].sort((a, b) => b[1] - a[1])[0]![0];
    if (best === p.genus) gHit++;
  });
  const bySourceMap = new Map<string, { n: number; h1: number; h5: number }>();
  const perSpeciesMap = new Map<string, { n: number; correct: number }>();
  const conf = new Map<string, { truth: string; truthEdibility: string; predicted: string; predictedEdibility: string; count: number }>();
  photos.forEach((p, n) => {
    if (!p.isClass) return;
    const y = p.allowed[0]!;
    const top = argmax(probs, n * C, C);
    const order = Array.from({ length: C }, (_, c) => c).sort((a, b) => probs[n * C + b]! - probs[n * C + a]!);
    const e = bySourceMap.get(p.source) ?? { n: 0, h1: 0, h5: 0 };
    e.n++;
    if (top === y) e.h1++;
    if (order.slice(0, 5).includes(y)) e.h5++;
    bySourceMap.set(p.source, e);
    const sp = perSpeciesMap.get(p.taxon) ?? { n: 0, correct: 0 };
    sp.n++;
    if (top === y) sp.correct++;
    perSpeciesMap.set(p.taxon, sp);
    const te = edibility[y]!;
    const pe = edibility[top]!;
    if (top !== y && (DANGEROUS.has(te) || DANGEROUS.has(pe)) && (DANGEROUS.has(te) !== DANGEROUS.has(pe) || LISTED_EDIBLE.has(te) || LISTED_EDIBLE.has(pe))) {
      const k = `${y}>${top}`;
      const c = conf.get(k) ?? { truth: labels[y]!, truthEdibility: te, predicted: labels[top]!, predictedEdibility: pe, count: 0 };
      c.count++;
      conf.set(k, c);
    }
  });
  // The verdict the site would show for each test photo.
  let identified = 0, genus = 0, notSure = 0, identifiedRight = 0;
  const safety = new Map<string, SafetyRow>();
  photos.forEach((p, n) => {
    const row = probs.subarray(n * C, (n + 1) * C);
    const { candidates, genera } = annotateDistribution({ labels, probs: row });
    const v = decideVerdict(candidates, { abstainThreshold }, genera);
    if (v.status === "identified") {
      identified++;
      if (p.isClass && v.leading?.scientificName === annotateLabel(labels[p.allowed[0]!]!).scientificName) identifiedRight++;
    } else if (v.status === "genus") genus++;
    else notSure++;
    const truth = annotateLabel(p.taxon).edibility;
    const r = safety.get(p.source) ?? { source: p.source, dangerousTruth: 0, shownEdible: 0, warned: 0 };
    if (DANGEROUS.has(truth)) {
      r.dangerousTruth++;
      if (v.status === "identified" && LISTED_EDIBLE.has(v.leading!.edibility)) r.shownEdible++;
      if (v.warnings.some((w) => w.kind === "danger" || w.kind === "dangerous-lookalike" || w.kind === "dangerous-genus") || DANGEROUS.has(v.leading?.edibility ?? "UNKNOWN")) r.warned++;
    }
    safety.set(p.source, r);
  });
  const safetyRows = [...safety.values()].sort((a, b) => a.source.localeCompare(b.source));
  // Multi-photo fusion: consecutive pairs of test photos of the same class.
  const byClass = new Map<number, number[]>();
  photos.forEach((p, n) => p.isClass && byClass.set(p.allowed[0]!, [...(byClass.get(p.allowed[0]!) ?? []), n]));
  let pairs = 0, single = 0, pooled = 0;
  for (const [y, ns] of byClass) {
    for (let k = 0; k + 1 < ns.length; k += 2) {
      const [a, b2] = [ns[k]!, ns[k + 1]!];
      pairs++;
      single += (argmax(probs, a * C, C) === y ? 0.5 : 0) + (argmax(probs, b2 * C, C) === y ? 0.5 : 0);
      const pp = combinePhotoProbs([probs.subarray(a * C, (a + 1) * C), probs.subarray(b2 * C, (b2 + 1) * C)]);
      if (argmax(pp, 0, C) === y) pooled++;
    }
  }
  return {
    species: { n: s.n, top1: s.top1, top5: s.top5, ece: s.ece, nll: s.nll },
    ...(uncalibrated ? { eceBeforeCalibration: scoreSpecies(uncalibrated, photos, C).ece } : {}),
    genusTop1: { n: photos.length, top1: gHit / Math.max(1, photos.length) },
    bySource: [...bySourceMap].map(([source, e]) => ({ source, n: e.n, top1: e.h1 / e.n, top5: e.h5 / e.n })).sort((a, b) => a.source.localeCompare(b.source)),
    perSpecies: [...perSpeciesMap].map(([taxon, e]) => ({ taxon, ...e })).sort((a, b) => a.taxon.localeCompare(b.taxon)),
    dangerousConfusions: [...conf.values()].sort((a, b) => b.count - a.count || a.truth.localeCompare(b.truth)),
    verdict: {
      identified,
      genus,
      notSure,
      coverage: identified / Math.max(1, photos.length),
      identifiedAccuracy: identifiedRight / Math.max(1, identified),
      safety: safetyRows,
      shownEdibleDangerous: safetyRows.reduce((a, r) => a + r.shownEdible, 0),
    },
    reliability: reliabilityBins(s.conf, s.correct),
    fusion: { pairs, top1Single: single / Math.max(1, pairs), top1Pooled: pooled / Math.max(1, pairs) },
  };
}
