export { edibilityOf, findEntry, knowledgeTable, lookalikesOf } from "./knowledge.ts";
export type { ResolvedLookalike } from "./knowledge.ts";
export { nameKey, toScientificName } from "./normalize.ts";
export { DANGEROUS, EDIBILITY_VALUES, LISTED_EDIBLE, NOT_ESTABLISHED } from "./types.ts";
export type { Edibility, KnowledgeEntry, Lookalike, Source } from "./types.ts";
