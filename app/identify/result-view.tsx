"use client";

import Link from "next/link";
import { useState } from "react";
import { EDIBILITY_LABELS } from "@/lib/catalog/edibility-labels";
import { EdibilityBadge } from "../_components/edibility-badge";
import { AttentionOverlay } from "./attention-overlay";
import { CautionNotice } from "./caution-notice";
import { isDangerWarning } from "@/lib/verdict/verdict.ts";
import type { PickedPhoto } from "./photo-picker";
import type { RunOutcome } from "./identify-client";

const pct = (p: number) => `${(p * 100).toFixed(p < 0.1 ? 1 : 0)}%`;

export function ResultView({ outcome, backend, photos }: { outcome: RunOutcome; backend: string; photos: PickedPhoto[] }) {
  const { result, ms } = outcome;
  const v = result.verdict;
  const dangers = v.warnings.filter(isDangerWarning);
  const others = v.warnings.filter((w) => !isDangerWarning(w));
  return (
    <section aria-labelledby="result-heading" className="grid gap-4" data-testid="result">
      <h2 id="result-heading" className="text-xl font-bold">
        Result
      </h2>
      {result.factsFrom === "bundled" && (
        <p role="alert" className="rounded-lg bg-amber-100 p-3 text-amber-950" data-testid="facts-fallback">
          The full check did not run: the catalog could not be reached, so edibility, lookalikes and warnings come from
          the edibility tables bundled with this page. Do not rely on this result.
        </p>
      )}
      {dangers.length > 0 && (
        <div role="alert" data-testid="danger-warning" className="rounded-lg bg-red-700 p-4 text-white">
          <p className="text-lg font-bold">Danger: a poisonous or deadly species is possible</p>
          <ul className="mt-2 grid list-disc gap-1 pl-5">
            {dangers.map((w) => (
              <li key={`${w.kind}-${w.scientificName}`}>{w.message}</li>
            ))}
          </ul>
        </div>
      )}
      <div className={`rounded-lg p-4 ${v.status === "not-sure" ? "bg-amber-100" : "bg-white"}`} data-testid="verdict" data-status={v.status} data-kind={v.verdict.kind}>
        <p className="text-lg font-semibold">{v.status === "not-sure" ? "Not sure" : v.verdict.headline}</p>
        <p className="mt-1">{v.verdict.text}</p>
        {others.map((w) => (
          <p key={`${w.kind}-${w.scientificName}`} className="mt-1 text-amber-900">
            {w.message}
          </p>
        ))}
        {v.leading && v.status === "identified" && (
          <p className="mt-2 text-sm text-stone-600">
            Edibility source: {result.candidates[0]?.facts?.edibilitySource ?? "none: edibility unknown, treat as not edible"}
          </p>
        )}
      </div>

      <div className="grid gap-4 md:grid-cols-[1fr_14rem]">
        <ol className="grid gap-2" aria-label="Candidates">
          {result.candidates.map((c) => (
            <li key={c.index} className="rounded-lg bg-white p-3" data-testid="candidate">
              <div className="flex flex-wrap items-center gap-2">
                {c.facts ? (
                  <Link href={`/species/${c.facts.slug}`} className="font-semibold italic underline">
                    {c.facts.scientificName}
                  </Link>
                ) : (
                  <span className="font-semibold">{c.label}</span>
                )}
                {c.facts?.commonName && <span className="text-sm text-stone-600">{c.facts.commonName}</span>}
                <EdibilityBadge value={c.facts?.edibility ?? "UNKNOWN"} />
                <span className="ml-auto tabular-nums">{pct(c.probability)}</span>
              </div>
              <div className="mt-2 h-2 overflow-hidden rounded bg-stone-200" aria-hidden>
                <div className="h-full bg-moss-700" style={{ width: `${Math.max(1, c.probability * 100)}%` }} />
              </div>
              {!c.facts && <p className="mt-1 text-xs text-stone-600">Not a species in the catalog. {EDIBILITY_LABELS.UNKNOWN.explain}</p>}
              {c.facts && c.facts.photos.length > 0 && (
                <div className="mt-2 flex gap-2">
                  {c.facts.photos.map((h) => (
                    // eslint-disable-next-line @next/next/no-img-element
                    <img key={h} src={`/api/photos/${h}/thumb`} alt={`Reference photo of ${c.facts?.scientificName}`} className="h-16 w-16 rounded object-cover" loading="lazy" />
                  ))}
                </div>
              )}
            </li>
          ))}
        </ol>
        <AttentionOverlay crop={outcome.crops[0]} rollout={outcome.rollout[0]} />
      </div>

      <p className="text-sm text-stone-600" data-testid="timing">
        Ran on this device with {backend} in {ms.toFixed(0)} ms for {photos.length} photo{photos.length > 1 ? "s" : ""}.
      </p>
      <CautionNotice text={v.caution} />
      <Contribute photos={photos} suggestion={result.candidates.find((c) => c.facts)?.facts?.scientificName ?? ""} />
    </section>
  );
}

function Contribute({ photos, suggestion }: { photos: PickedPhoto[]; suggestion: string }) {
  const [state, setState] = useState<"idle" | "sending" | "done" | "error">("idle");
  const [message, setMessage] = useState("");
  return (
    <details className="rounded-lg bg-white p-4">
      <summary className="cursor-pointer font-medium">Contribute this photo to the catalog (optional)</summary>
      <form
        className="mt-3 grid gap-2"
        onSubmit={async (e) => {
          e.preventDefault();
          const f = new FormData(e.currentTarget);
          f.append("photo", photos[0].file, "photo");
          setState("sending");
          const res = await fetch("/api/contributions", { method: "POST", body: f });
          const body = await res.json().catch(() => ({}));
          setState(res.ok ? "done" : "error");
          setMessage(res.ok ? "Thank you: the photo waits for review before it appears anywhere." : (body.message ?? `Error ${res.status}`));
        }}
      >
        <p className="text-sm">Only the first photo is sent, with its location and camera data removed. It is reviewed before use.</p>
        <label className="grid gap-1 text-sm">
          Species you believe it is (scientific name)
          <input name="species" defaultValue={suggestion} required className="rounded border border-stone-300 px-2 py-1" />
        </label>
        <label className="grid gap-1 text-sm">
          Credit me as (optional; shown under the photo if it is approved)
          <input name="credit" maxLength={80} autoComplete="name" className="rounded border border-stone-300 px-2 py-1" />
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="consent" value="yes" required /> I took this photo and license it under CC BY 4.0.
        </label>
        <button disabled={state === "sending"} className="justify-self-start rounded bg-moss-700 px-4 py-2 text-white">
          Send photo
        </button>
        {message && <p role="status" className={state === "error" ? "text-red-800" : "text-moss-800"}>{message}</p>}
      </form>
    </details>
  );
}
