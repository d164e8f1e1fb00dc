// How each edibility value is presented. No label ever says "safe"; UNKNOWN reads as "not edible".
import type { EdibilityValue } from "./types";

export type EdibilityLabel = { label: string; tone: "danger" | "warning" | "neutral" | "info"; explain: string };

export const EDIBILITY_LABELS: Record<EdibilityValue, EdibilityLabel> = {
  DEADLY: { label: "Deadly", tone: "danger", explain: "Can kill, even in small amounts. Symptoms may be delayed by many hours." },
  POISONOUS: { label: "Poisonous", tone: "danger", explain: "Causes poisoning. Do not eat." },
  PSYCHOACTIVE: { label: "Psychoactive", tone: "warning", explain: "Contains psychoactive compounds; can be dangerous. Do not eat." },
  INEDIBLE: { label: "Not edible", tone: "neutral", explain: "Not eaten: tough, bitter or otherwise unsuitable." },
  UNKNOWN: { label: "Edibility unknown", tone: "warning", explain: "No reliable edibility data: treat as not edible." },
  EDIBLE: { label: "Listed as edible", tone: "info", explain: "Listed as edible by its source. Never eat a wild mushroom without an expert's confirmation." },
  CHOICE: { label: "Listed as a choice edible", tone: "info", explain: "Listed as a good edible by its source. Never eat a wild mushroom without an expert's confirmation." },
};
