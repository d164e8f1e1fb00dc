import type { Classifier } from "@/lib/vit/classifier.ts";
import { BACKEND_LABELS } from "@/lib/identify/backend-labels";

const ms = (x: number) => (x < 10 ? x.toFixed(1) : Math.round(x).toLocaleString("en")) + " ms";

/** Which backend runs the model on this device, how it was chosen and why, and what the others measured. */
export function BackendStatus({ classifier: c, note }: { classifier: Classifier; note: string | null }) {
  const { choice } = c;
  return (
    <div className="grid gap-1 text-sm text-stone-700" data-testid="model-status" data-backend={c.backend} data-choice={choice.how}>
      <p>
        Model ready on this device: <strong>{BACKEND_LABELS[c.backend]}</strong>
        <span data-testid="backend-reason">
          {" "}
          — {choice.how === "cached" ? "chosen earlier: " : ""}
          {choice.reason}.
        </span>
      </p>
      {note && <p className="text-amber-900">{note}</p>}
      {(choice.timings.length > 0 || c.refused.length > 0) && (
        <details className="text-stone-500">
          <summary className="cursor-pointer">Backends measured and refused</summary>
          <ul className="list-disc pl-5" data-testid="backend-timings">
            {choice.timings.map((t) => (
              <li key={t.backend}>
                {BACKEND_LABELS[t.backend]}: {ms(t.runMs)} per photo (first run {ms(t.firstMs)}, start {ms(t.loadMs)})
              </li>
            ))}
            {c.refused.map((r) => (
              <li key={`refused-${r.backend}`}>
                {BACKEND_LABELS[r.backend]}: not used — {r.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
      {choice.adapter && !choice.adapter.isSoftware && (
        <p className="text-xs text-stone-500">WebGPU adapter: {[choice.adapter.vendor, choice.adapter.architecture, choice.adapter.description].filter(Boolean).join(" / ") || "unnamed"}</p>
      )}
    </div>
  );
}
