export {
  decideVerdict,
  isDangerWarning,
  DEFAULT_ABSTAIN_THRESHOLD,
  DEFAULT_MIN_MARGIN,
  DEFAULT_WARNING_THRESHOLD,
} from "./verdict.ts";
export { annotateCandidates, annotateDistribution, annotateLabel } from "./annotate.ts";
export type { AnnotateInput, Annotated, CatalogTaxonFacts } from "./annotate.ts";
export { CAUTION_NOTICE } from "./text.ts";
export type {
  Candidate,
  CandidateLookalike,
  GenusInfo,
  Verdict,
  VerdictKind,
  VerdictOptions,
  VerdictWarning,
  WarningKind,
} from "./types.ts";
