import { EDIBILITY_LABELS } from "@/lib/catalog/edibility-labels";
import type { EdibilityValue } from "@/lib/catalog/types";

const TONES = {
  danger: "bg-red-700 text-white",
  warning: "bg-amber-200 text-amber-950",
  neutral: "bg-stone-200 text-stone-900",
  info: "bg-sky-100 text-sky-950",
} as const;

export function EdibilityBadge({ value }: { value: EdibilityValue }) {
  const l = EDIBILITY_LABELS[value];
  return (
    <span className={`inline-block rounded-full px-2.5 py-0.5 text-xs font-semibold ${TONES[l.tone]}`} title={l.explain}>
      {l.label}
    </span>
  );
}
