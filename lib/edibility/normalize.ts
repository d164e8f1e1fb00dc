/**
 * Canonical lookup key for a scientific name: case-insensitive, "_" / "-" / runs
 * of spaces treated alike, so "Amanita_phalloides", "amanita phalloides" and
 * "AMANITA  PHALLOIDES" all meet. Hyphens inside epithets (cornu-damae) survive.
 */
export function nameKey(name: string): string {
  return name
    .normalize("NFKC")
    .trim()
    .toLowerCase()
    .replace(/[_\s]+/g, " ");
}

/** "agaricus_arvensis" -> "Agaricus arvensis". */
export function toScientificName(snake: string): string {
  const spaced = nameKey(snake);
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}
