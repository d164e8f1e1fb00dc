import { nameKey } from "../edibility/normalize.ts";
import { DANGEROUS } from "../edibility/types.ts";
import { CAUTION_NOTICE, KIND_FOR, named, percent, verdictText } from "./text.ts";
import type { Candidate, Verdict, VerdictOptions, VerdictWarning } from "./types.ts";

/*
 * Decision rules (documented for the UI and for reviewers):
 * - Candidates are sorted by probability; probabilities must be finite, in [0, 1], sum <= 1.
 * - "not-sure" when there are no candidates, when top-1 < abstainThreshold, or when
 *   top-1 minus top-2 < minMargin. No species verdict is claimed then (leading = null).
 * - Danger warning for EVERY candidate with probability >= warningThreshold that is
 *   POISONOUS or DEADLY, whether or not we are sure.
 * - Lookalike warning for every POISONOUS/DEADLY lookalike of the top candidate, at any
 *   probability (including absent from the list).
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

const PROB_SUM_TOLERANCE = 1e-6;

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
    if (!Number.isFinite(c.probability) || c.probability < 0 || c.probability > 1) {
      throw new RangeError(`verdict: probability of ${c.scientificName} must be in [0, 1], got ${c.probability}`);
    }
    sum += c.probability;
  }
  if (sum > 1 + PROB_SUM_TOLERANCE) throw new RangeError(`verdict: probabilities sum to ${sum} > 1`);
}

/** Pure: same input, same output; no I/O. Throws RangeError on malformed probabilities. */
export function decideVerdict(candidates: readonly Candidate[], options: VerdictOptions = {}): Verdict {
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

  const warnings = collectWarnings(sorted, top, thresholds.warningThreshold);
  reasons.push(...warnings.map((w) => w.message));

  const kind = sure && top ? KIND_FOR[top.edibility] : "not-sure";
  const who = top ? top.scientificName : "";
  const { headline, text } = verdictText(kind, who, top?.edibilitySource);
  if (sure && top) {
    reasons.unshift(
      `Identified as ${named(top.scientificName, top.probability)}: at or above the ` +
        `${percent(thresholds.abstainThreshold)} threshold and ${percent(thresholds.minMargin)} clear of the next candidate.`,
    );
  }
  const dangerNote = warnings.some((w) => w.kind !== "psychoactive")
    ? " Warning: a dangerous species is also possible; see the warnings."
    : "";

  return {
    status: sure ? "identified" : "not-sure",
    leading: sure && top ? { scientificName: top.scientificName, probability: top.probability, edibility: top.edibility } : null,
    verdict: { kind, headline, text: text + dangerNote },
    warnings,
    reasons,
    caution: CAUTION_NOTICE,
    thresholds,
  };
}

function collectWarnings(sorted: readonly Candidate[], top: Candidate | undefined, warnAt: number): VerdictWarning[] {
  const warnings: VerdictWarning[] = [];
  const seen = new Set<string>();
  const probOf = new Map(sorted.map((c) => [nameKey(c.scientificName), c.probability] as const));

  // 1. Any plausible candidate that is poisonous or deadly, the leader included.
  for (const c of sorted) {
    if (c.probability < warnAt || !DANGEROUS.has(c.edibility)) continue;
    seen.add(nameKey(c.scientificName));
    warnings.push({
      kind: "danger",
      scientificName: c.scientificName,
      edibility: c.edibility,
      probability: c.probability,
      message:
        `DANGER: ${named(c.scientificName, c.probability)} is ${c.edibility === "DEADLY" ? "deadly poisonous" : "poisonous"} ` +
        `and the model gives it at least ${percent(warnAt)}.`,
    });
  }

  // 2. Known poisonous/deadly lookalikes of the most likely candidate, whatever
  //    probability the model gave them (even none): the model may be the one confused.
  for (const l of top?.lookalikes ?? []) {
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
        `DANGER: ${top?.scientificName} has a known ${l.edibility === "DEADLY" ? "deadly" : "poisonous"} lookalike, ` +
        `${named(l.scientificName, p)}${p === null ? ", not among the model's candidates" : ""}.` +
        (l.note ? ` ${l.note}` : ""),
    });
  }

  // 3. Psychoactive candidates: lower severity, still a reason not to eat.
  for (const c of sorted) {
    if (c.probability < warnAt || c.edibility !== "PSYCHOACTIVE" || seen.has(nameKey(c.scientificName))) continue;
    warnings.push({
      kind: "psychoactive",
      scientificName: c.scientificName,
      edibility: c.edibility,
      probability: c.probability,
      message: `Caution: ${named(c.scientificName, c.probability)} is psychoactive and can cause poisoning.`,
    });
  }

  const rank = (w: VerdictWarning): number => (w.kind === "psychoactive" ? 2 : w.edibility === "DEADLY" ? 0 : 1);
  return warnings.sort((a, b) => rank(a) - rank(b) || (b.probability ?? 0) - (a.probability ?? 0));
}
