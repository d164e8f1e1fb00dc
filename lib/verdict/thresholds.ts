// Bounds on a model's "not sure" threshold. Below the floor the site would name a species it gives less than even
// odds; at 1 or above it would never answer (and the verdict would refuse the value). Training clamps to these,
// export refuses a value outside them, and model metadata outside them is rejected at load.
export const ABSTAIN_FLOOR = 0.5;

/** An error message for an unusable abstain threshold, else null. */
export function abstainThresholdProblem(t: number): string | null {
  if (!Number.isFinite(t)) return `abstain threshold ${t} is not a number`;
  if (t < ABSTAIN_FLOOR) return `abstain threshold ${t} is below the floor ${ABSTAIN_FLOOR} (the site would name species it gives less than even odds)`;
  if (t >= 1) return `abstain threshold ${t} is >= 1: the model would never name a species`;
  return null;
}
