/**
 * Canonical lookup key for a name: case-insensitive, "_" and runs of spaces alike, so "Amanita_phalloides",
 * "amanita phalloides" and "AMANITA  PHALLOIDES" meet. Hyphens inside epithets (cornu-damae) survive; accents fold.
 */
export function nameKey(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .trim()
    .toLowerCase()
    .replace(/[_\s]+/g, " ");
}

/** "Amanita sp." / "Amanita spp." name the genus. */
export function stripSp(name: string): string {
  return name.replace(/[\s_]+spp?\.?$/i, "");
}
