export { edibilityOf, findEntry, genusFact, genusFacts, knowledgeTable, lookalikesOf } from "./knowledge.ts";
export type { ResolvedLookalike } from "./knowledge.ts";
export { nameKey, toScientificName } from "./normalize.ts";
export { DANGEROUS, EDIBILITY_VALUES, LISTED_EDIBLE, NOT_ESTABLISHED, SEVERITY, moreDangerous } from "./types.ts";
export type { Claim, Edibility, GenusFact, KnowledgeEntry, Lookalike, Source } from "./types.ts";
