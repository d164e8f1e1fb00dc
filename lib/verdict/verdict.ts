import { nameKey } from "../taxonomy/names.ts";
import { DANGEROUS } from "../edibility/types.ts";
import { CAUTION_NOTICE, KIND_FOR, named, percent, verdictText } from "./text.ts";
import type { Candidate, GenusInfo, Verdict, VerdictOptions, VerdictWarning } from "./types.ts";

/*
 * Decision rules (documented for the UI and for reviewers):
 * - Candidates are sorted by probability; probabilities must be finite, in [0, 1], sum <= 1.
 * - "not-sure" when there are no candidates, when top-1 < abstainThreshold, or when
 *   top-1 minus top-2 < minMargin. No species verdict is claimed then (leading = null).
 * - Pass the WHOLE distribution: warnings look at every class, not only the few displayed.
 * - When no taxon is sure but one genus holds >= abstainThreshold of the probability (and is
 *   minMargin clear of the next genus), the answer is that genus ("Amanita sp."): never edible.
 * - Danger warning for EVERY candidate whose danger probability (the highest any one photo gave,
 *   else its pooled probability) is >= warningThreshold and that is POISONOUS or DEADLY, whether or
 *   not we are sure.
 * - Genus warning when a genus that includes deadly (danger) or poisonous (caution) species holds
 *   >= warningThreshold in total and no candidate warning already names such a member.
 * - Lookalike warning for every POISONOUS/DEADLY lookalike of the top candidate and of every
 *   other candidate at >= warningThreshold, whatever probability the lookalike has (including
 *   absent from the list): a plausible morel means a possible false morel.
 * - Verdict kind follows the leader's edibility; UNKNOWN is "edibility-unknown" and is
 *   worded as "do not eat". Nothing is ever called safe to eat.
 */

/**
 * Defaults. The abstain threshold should come from validation data (the largest
 * top-1 probability below which accuracy falls under target); 0.6 is a cautious
 * placeholder until the calibrated model's validation run provides one.
 */
export const DEFAULT_ABSTAIN_THRESHOLD = 0.6;
/** Top-1 minus top-2 below this -> not sure: two species are both plausible. */
export const DEFAULT_MIN_MARGIN = 0.15;
/** 2%: a 1-in-50 chance of a deadly species is not trivial. */
export const DEFAULT_WARNING_THRESHOLD = 0.02;

/** Float32 softmax outputs over hundreds of classes sum to 1 only within rounding. */
const PROB_SUM_TOLERANCE = 1e-4;

function resolveOptions(o: VerdictOptions): Required<VerdictOptions> {
  const t = {
    abstainThreshold: o.abstainThreshold ?? DEFAULT_ABSTAIN_THRESHOLD,
    minMargin: o.minMargin ?? DEFAULT_MIN_MARGIN,
    warningThreshold: o.warningThreshold ?? DEFAULT_WARNING_THRESHOLD,
  };
  for (const [k, v] of Object.entries(t)) {
    if (!Number.isFinite(v) || v < 0 || v > 1) throw new RangeError(`verdict: ${k} must be in [0, 1], got ${v}`);
  }
  return t;
}

function checkCandidates(candidates: readonly Candidate[]): void {
  let sum = 0;
  for (const c of candidates) {
    for (const p of [c.probability, c.dangerProbability ?? 0]) {
      if (!Number.isFinite(p) || p < 0 || p > 1) {
        throw new RangeError(`verdict: probability of ${c.scientificName} must be in [0, 1], got ${p}`);
      }
    }
    sum += c.probability;
  }
  if (sum > 1 + PROB_SUM_TOLERANCE) throw new RangeError(`verdict: probabilities sum to ${sum} > 1`);
}

const dangerP = (c: Candidate): number => Math.max(c.probability, c.dangerProbability ?? 0);

type GenusMass = { genus: string; probability: number; danger: number; info: GenusInfo | undefined };

/** Probability per genus: the sum over its classes (species, groups, sections and the genus itself). */
function genusMasses(candidates: readonly Candidate[], genera: readonly GenusInfo[]): GenusMass[] {
  const info = new Map(genera.map((g) => [nameKey(g.genus), g]));
  const out = new Map<string, GenusMass>();
  for (const c of candidates) {
    if (!c.genus) continue;
    const key = nameKey(c.genus);
    const m = out.get(key) ?? { genus: c.genus, probability: 0, danger: 0, info: info.get(key) };
    m.probability += c.probability;
    m.danger += dangerP(c);
    out.set(key, m);
  }
  return [...out.values()].sort((a, b) => b.probability - a.probability);
}

/** Pure: same input, same output; no I/O. Throws RangeError on malformed probabilities. */
export function decideVerdict(candidates: readonly Candidate[], options: VerdictOptions = {}, genera: readonly GenusInfo[] = []): Verdict {
  const thresholds = resolveOptions(options);
  checkCandidates(candidates);
  const sorted = [...candidates].sort((a, b) => b.probability - a.probability);
  const top = sorted[0];
  const second = sorted[1];
  const reasons: string[] = [];

  let sure = top !== undefined;
  if (!top) {
    reasons.push("The model returned no candidates.");
  } else {
    if (top.probability < thresholds.abstainThreshold) {
      sure = false;
      reasons.push(
        `Not sure: the best candidate, ${named(top.scientificName, top.probability)}, is below the ` +
          `${percent(thresholds.abstainThreshold)} confidence needed to name a species.`,
      );
    }
    if (second && top.probability - second.probability < thresholds.minMargin) {
      sure = false;
      reasons.push(
        `Not sure: ${named(top.scientificName, top.probability)} and ${named(second.scientificName, second.probability)} ` +
          `are within ${percent(thresholds.minMargin)} of each other.`,
      );
    }
  }

  const masses = genusMasses(sorted, genera);
  const [g1, g2] = masses;
  const genusAnswer =
    !sure && g1 && g1.probability >= thresholds.abstainThreshold && g1.probability - (g2?.probability ?? 0) >= thresholds.minMargin
      ? g1
      : undefined;

  const warnings = collectWarnings(sorted, top, thresholds.warningThreshold, masses, sure ? top : undefined);
  reasons.push(...warnings.map((w) => w.message));

  const kind = sure && top ? KIND_FOR[top.edibility] : genusAnswer ? "genus" : "not-sure";
  const who = genusAnswer ? genusAnswer.genus : top ? top.scientificName : "";
  const { headline, text } = verdictText(kind, who, genusAnswer ? genusAnswer.info?.fact : top?.edibilitySource, genusAnswer?.info?.worst);
  if (genusAnswer) {
    reasons.unshift(
      `Genus ${genusAnswer.genus} (${percent(genusAnswer.probability)} in total over its classes): clear at the genus level, ` +
        `though no single species is.`,
    );
  }
  if (sure && top) {
    reasons.unshift(
      `Identified as ${named(top.scientificName, top.probability)}: at or above the ` +
        `${percent(thresholds.abstainThreshold)} threshold and ${percent(thresholds.minMargin)} clear of the next candidate.`,
    );
  }
  const dangerNote = warnings.some((w) => isDangerWarning(w))
    ? " Warning: a dangerous species is also possible; see the warnings."
    : "";

  // A genus answer is never edible: it carries the genus's worst class when that is dangerous, else UNKNOWN.
  const genusWorst = genusAnswer?.info?.worst;
  const genusEdibility = genusWorst && (DANGEROUS.has(genusWorst) || genusWorst === "PSYCHOACTIVE") ? genusWorst : "UNKNOWN";
  return {
    status: sure ? "identified" : genusAnswer ? "genus" : "not-sure",
    leading:
      sure && top
        ? { scientificName: top.scientificName, probability: top.probability, edibility: top.edibility, rank: top.rank ?? "species" }
        : genusAnswer
          ? { scientificName: genusAnswer.genus, probability: genusAnswer.probability, edibility: genusEdibility, rank: "genus" }
          : null,
    verdict: { kind, headline, text: text + dangerNote },
    warnings,
    reasons,
    caution: CAUTION_NOTICE,
    thresholds,
  };
}

function collectWarnings(
  sorted: readonly Candidate[],
  top: Candidate | undefined,
  warnAt: number,
  masses: readonly GenusMass[],
  /** The identified taxon, when the verdict names one. */
  leader: Candidate | undefined,
): VerdictWarning[] {
  const warnings: VerdictWarning[] = [];
  const seen = new Set<string>();
  const probOf = new Map(sorted.map((c) => [nameKey(c.scientificName), c.probability] as const));

  // 1. Any plausible candidate that is poisonous or deadly, the leader included.
  for (const c of sorted) {
    const p = dangerP(c);
    if (p < warnAt || !DANGEROUS.has(c.edibility)) continue;
    seen.add(nameKey(c.scientificName));
    const onePhoto = p > c.probability ? ` (one photo gives it ${percent(p)})` : "";
    warnings.push({
      kind: "danger",
      scientificName: c.scientificName,
      edibility: c.edibility,
      probability: p,
      message:
        `DANGER: ${named(c.scientificName, c.probability)}${onePhoto} is ${c.edibility === "DEADLY" ? "deadly poisonous" : "poisonous"} ` +
        `and the model gives it at least ${percent(warnAt)}.`,
    });
  }

  // 2. Known poisonous/deadly lookalikes of the most likely candidate and of every other plausible one, whatever
  //    probability the model gave the lookalike (even none): the model may be the one confused.
  for (const c of sorted) {
    if (c !== top && c.probability < warnAt) continue;
    for (const l of c.lookalikes ?? []) {
      const key = nameKey(l.scientificName);
      if (!DANGEROUS.has(l.edibility) || seen.has(key)) continue;
      seen.add(key);
      const p = probOf.get(key) ?? null;
      warnings.push({
        kind: "dangerous-lookalike",
        scientificName: l.scientificName,
        edibility: l.edibility,
        probability: p,
        message:
          `DANGER: ${c === top ? c.scientificName : named(c.scientificName, c.probability)} has a known ${l.edibility === "DEADLY" ? "deadly" : "poisonous"} lookalike, ` +
          `${named(l.scientificName, p)}${p === null ? ", not among the model's candidates" : ""}.` +
          (l.note ? ` ${l.note}` : ""),
      });
    }
  }

  // 3. Genera that include deadly or poisonous species. The identified leader's own probability does not count
  //    (its lookalikes are named above); what remains is the chance of some other member of the genus. A member
  //    already warned about at the genus's worst class covers the genus.
  for (const m of masses) {
    const worst = m.info?.worst;
    if (!worst || !DANGEROUS.has(worst)) continue;
    const covered = sorted.some((c) => c.genus && nameKey(c.genus) === nameKey(m.genus) && c.edibility === worst && seen.has(nameKey(c.scientificName)));
    if (covered) continue;
    const ownGenus = !!leader?.genus && nameKey(leader.genus) === nameKey(m.genus);
    const others = m.danger - (ownGenus ? dangerP(leader!) : 0);
    const deadly = worst === "DEADLY";
    const fact = m.info?.fact ? ` ${m.info.fact}` : "";
    if (others >= warnAt) {
      warnings.push({
        kind: deadly ? "dangerous-genus" : "genus-caution",
        scientificName: m.genus,
        edibility: worst,
        probability: Math.min(1, others),
        message:
          `${deadly ? "DANGER" : "Caution"}: the genus ${m.genus} includes ${deadly ? "deadly" : "poisonous"} species, and ` +
          `${ownGenus ? `its other members hold ${percent(Math.min(1, others))}` : `it holds ${percent(Math.min(1, others))} in total`}.${fact}`,
      });
    } else if (ownGenus) {
      warnings.push({
        kind: "genus-caution",
        scientificName: m.genus,
        edibility: worst,
        probability: null,
        message: `Caution: ${leader!.scientificName} belongs to ${m.genus}, a genus that includes ${deadly ? "deadly" : "poisonous"} species.${fact}`,
      });
    }
  }

  // 4. Psychoactive candidates: lower severity, still a reason not to eat.
  for (const c of sorted) {
    if (dangerP(c) < warnAt || c.edibility !== "PSYCHOACTIVE" || seen.has(nameKey(c.scientificName))) continue;
    warnings.push({
      kind: "psychoactive",
      scientificName: c.scientificName,
      edibility: c.edibility,
      probability: c.probability,
      message: `Caution: ${named(c.scientificName, c.probability)} is psychoactive and can cause poisoning.`,
    });
  }

  const rank = (w: VerdictWarning): number =>
    w.kind === "psychoactive" || w.kind === "genus-caution" ? 2 : w.edibility === "DEADLY" ? 0 : 1;
  return warnings.sort((a, b) => rank(a) - rank(b) || (b.probability ?? 0) - (a.probability ?? 0));
}

/** Warnings shown in the danger banner (the rest are cautions). */
export function isDangerWarning(w: VerdictWarning): boolean {
  return w.kind === "danger" || w.kind === "dangerous-lookalike" || w.kind === "dangerous-genus";
}
