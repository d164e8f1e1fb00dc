export {
  decideVerdict,
  DEFAULT_ABSTAIN_THRESHOLD,
  DEFAULT_MIN_MARGIN,
  DEFAULT_WARNING_THRESHOLD,
} from "./verdict.ts";
export { annotateCandidates } from "./fromTable.ts";
export type { ModelCandidate } from "./fromTable.ts";
export { CAUTION_NOTICE } from "./text.ts";
export type {
  Candidate,
  CandidateLookalike,
  Verdict,
  VerdictKind,
  VerdictOptions,
  VerdictWarning,
  WarningKind,
} from "./types.ts";
