export { nameKey } from "../taxonomy/names.ts";
import { nameKey } from "../taxonomy/names.ts";

/** "agaricus_arvensis" -> "Agaricus arvensis". */
export function toScientificName(snake: string): string {
  const spaced = nameKey(snake);
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}
