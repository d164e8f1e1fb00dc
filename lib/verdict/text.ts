import type { Edibility } from "../edibility/types.ts";
import type { VerdictKind } from "./types.ts";

/**
 * Shown with every verdict. Wording rule for this whole module: no sentence may
 * read as clearance to eat (the phrase "safe to eat" never appears, not even negated).
 */
export const CAUTION_NOTICE =
  "Never eat a wild mushroom on the strength of an app or a photo. Have every find checked in person by a " +
  "local expert or mycological society. If poisoning is suspected, call emergency services or poison control " +
  "immediately, keep a sample of the mushroom (and any leftovers), and note the time it was eaten. Symptoms of " +
  "the deadliest species can be delayed by 6 to 24 hours, so do not wait for them to appear.";

export function percent(p: number): string {
  if (p > 0 && p < 0.01) return "<1%";
  return `${Math.round(p * 100)}%`;
}

export function named(scientificName: string, p: number | null): string {
  return p === null ? scientificName : `${scientificName} (${percent(p)})`;
}

export const KIND_FOR: Record<Edibility, Exclude<VerdictKind, "not-sure">> = {
  DEADLY: "deadly",
  POISONOUS: "poisonous",
  PSYCHOACTIVE: "psychoactive",
  INEDIBLE: "not-edible",
  UNKNOWN: "edibility-unknown",
  EDIBLE: "edible-per-source-with-caution",
  CHOICE: "edible-per-source-with-caution",
};

export function verdictText(
  kind: VerdictKind,
  who: string,
  source: string | undefined,
  /** For a genus answer: the most dangerous class any member has. */
  genusWorst?: Edibility,
): { headline: string; text: string } {
  switch (kind) {
    case "not-sure":
      return {
        headline: "Not sure: no reliable identification",
        text:
          "The model cannot tell this mushroom apart from other species with enough confidence, so no " +
          "species is claimed. Treat it as poisonous and do not eat it.",
      };
    case "genus":
      // `source` carries the genus fact here.
      return {
        headline:
          genusWorst === "DEADLY"
            ? `${who} sp.: this genus includes deadly species`
            : genusWorst === "POISONOUS"
              ? `${who} sp.: this genus includes poisonous species`
              : `${who} sp.: the genus is clear, the species is not`,
        text:
          `The photo matches the genus ${who}, but no single species in it with enough confidence.` +
          (source ? ` ${source}` : "") +
          " Treat it as poisonous: do not eat it.",
      };
    case "deadly":
      return {
        headline: `Deadly: ${who}`,
        text: `${who} is deadly poisonous. Do not eat it, and wash your hands after handling it.`,
      };
    case "poisonous":
      return { headline: `Poisonous: ${who}`, text: `${who} is poisonous. Do not eat it.` };
    case "psychoactive":
      return {
        headline: `Psychoactive: ${who}`,
        text: `${who} is psychoactive and can cause poisoning. Do not eat it.`,
      };
    case "not-edible":
      return { headline: `Not for eating: ${who}`, text: `${who} is listed as inedible. Do not eat it.` };
    case "edibility-unknown":
      // Deliberately no "edible" wording: unknown is treated exactly like not edible.
      return {
        headline: `Edibility unknown: ${who}`,
        text: `No consulted source establishes whether ${who} can be eaten. Treat it as poisonous: do not eat it.`,
      };
    case "edible-per-source-with-caution":
      return {
        headline: `Listed as edible by its source: ${who}`,
        text:
          `${source ?? "The cited source"} lists ${who} as edible. That describes the species, not your ` +
          "specimen: this app cannot confirm which species you found, and lookalikes can kill. Do not eat it " +
          "on the strength of an app; confirm it in person with an expert first.",
      };
  }
}
