"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { currentModel, downloadModel, type DownloadProgress, type ModelRef } from "@/lib/identify/model-download";
import { CAUTION_NOTICE } from "@/lib/verdict/text.ts";
import { CautionNotice } from "./caution-notice";
import { classifierFromBytes, type Classifier } from "@/lib/vit/classifier.ts";
import { cropToTensor, imageToCrop } from "@/lib/vit/preprocess-browser.ts";
import { BACKEND_LABELS, patchAttention } from "@/lib/identify/backend-labels";
import { buildResult, labelsNeedingFacts, type IdentifyResult } from "@/lib/identify/result";
import type { CandidateFacts } from "@/lib/identify/species-facts";
import { parseFactsResponse } from "@/lib/identify/facts-schema";
import { classifyPhoto } from "@/lib/identify/classify-photo";
import { ResultView } from "./result-view";
import { PhotoPicker, type PickedPhoto } from "./photo-picker";

type ModelState =
  | { kind: "downloading"; progress: DownloadProgress | null }
  | { kind: "starting" }
  | { kind: "ready"; classifier: Classifier }
  | { kind: "error"; message: string };

export type RunOutcome = { result: IdentifyResult; ms: number; crops: ImageData[]; attention: (Float32Array | null)[] };

export function IdentifyClient({ model: pageModel, ortBase }: { model: ModelRef; ortBase: string }) {
  const [model, setModel] = useState<ModelState>({ kind: "downloading", progress: null });
  const [offline, setOffline] = useState(false);
  const [photos, setPhotos] = useState<PickedPhoto[]>([]);
  const [running, setRunning] = useState(false);
  const [outcome, setOutcome] = useState<RunOutcome | null>(null);
  const [error, setError] = useState<string | null>(null);
  const started = useRef(false);

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    // Lets the page and its runtime load offline on later visits (the model is cached separately).
    navigator.serviceWorker?.register("/sw.js").catch(() => {});
    (async () => {
      try {
        // The page may come from the offline cache: ask which model is served now before using any copy.
        const now = await currentModel();
        if (now.kind === "none") throw new Error(now.message);
        setOffline(now.kind === "offline");
        const use = now.kind === "ok" ? now.model : pageModel;
        const bytes = await downloadModel(use, (progress) => setModel({ kind: "downloading", progress }));
        setModel({ kind: "starting" });
        const classifier = await classifierFromBytes(bytes, { ortWasmPaths: ortBase });
        setModel({ kind: "ready", classifier });
      } catch (e) {
        setModel({ kind: "error", message: e instanceof Error ? e.message : String(e) });
      }
    })();
  }, [pageModel, ortBase]);

  const identify = useCallback(async () => {
    if (model.kind !== "ready" || photos.length === 0) return;
    const c = model.classifier;
    setRunning(true);
    setError(null);
    setOutcome(null);
    try {
      const t0 = performance.now();
      const crops: ImageData[] = [];
      const attention: (Float32Array | null)[] = [];
      const perPhoto: Float32Array[] = [];
      for (const p of photos) {
        const crop = await imageToCrop(p.file, c.meta);
        const pred = await classifyPhoto(c.meta, (x) => c.classify(x), cropToTensor(crop, c.meta));
        crops.push(crop);
        attention.push(pred.attention ? patchAttention(pred.attention, c.meta.numHeads) : null);
        perPhoto.push(pred.probs);
      }
      const ms = performance.now() - t0;
      const facts = await fetchFacts(labelsNeedingFacts(c.meta.labels, perPhoto));
      setOutcome({ result: buildResult({ labels: c.meta.labels, perPhoto, facts, abstainThreshold: c.meta.abstainThreshold }), ms, crops, attention });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setRunning(false);
    }
  }, [model, photos]);

  return (
    <div className="grid gap-5">
      <ModelStatus state={model} />
      {offline && (
        <p className="text-sm text-amber-900" data-testid="offline-note">
          Offline: using the model this browser downloaded last time. Warnings still come from the bundled edibility tables.
        </p>
      )}
      <PhotoPicker photos={photos} onChange={(p) => { setPhotos(p); setOutcome(null); }} />
      <button
        type="button"
        onClick={identify}
        disabled={model.kind !== "ready" || photos.length === 0 || running}
        className="justify-self-start rounded-lg bg-moss-700 px-6 py-3 text-lg font-semibold text-white disabled:opacity-50"
      >
        {running ? "Identifying…" : photos.length > 1 ? `Identify from ${photos.length} photos` : "Identify"}
      </button>
      {error && (
        <p role="alert" className="rounded bg-red-50 p-3 text-red-900">
          The photo could not be analysed: {error}
        </p>
      )}
      {outcome && model.kind === "ready" ? (
        <ResultView outcome={outcome} backend={BACKEND_LABELS[model.classifier.backend]} photos={photos} />
      ) : (
        // One caution notice on the page: the result carries its own.
        <CautionNotice text={CAUTION_NOTICE} />
      )}
    </div>
  );
}

/**
 * Catalog facts for the labels, or null when the catalog cannot be reached: the result then uses the bundled
 * edibility tables (every warning they hold still shows) and says the full check did not run.
 */
async function fetchFacts(labels: string[]): Promise<CandidateFacts[] | null> {
  try {
    const res = await fetch("/api/species/facts", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ labels }),
    });
    if (!res.ok) return null;
    return parseFactsResponse(await res.json());
  } catch {
    return null;
  }
}

function ModelStatus({ state }: { state: ModelState }) {
  if (state.kind === "downloading") {
    const p = state.progress;
    const pct = p?.total ? Math.round((100 * p.loaded) / p.total) : null;
    return (
      <div className="grid gap-1 text-sm" data-testid="model-status">
        <label htmlFor="model-progress">Downloading the model once ({p ? `${(p.loaded / 1e6).toFixed(1)} MB` : "starting"}{pct !== null ? `, ${pct}%` : ""})</label>
        <progress id="model-progress" max={p?.total ?? undefined} value={p?.loaded ?? undefined} className="h-2 w-full max-w-md" />
      </div>
    );
  }
  if (state.kind === "starting") return <p className="text-sm" data-testid="model-status">Starting the model…</p>;
  if (state.kind === "error") return <p role="alert" className="rounded bg-red-50 p-3 text-sm" data-testid="model-status">The model could not start: {state.message}</p>;
  return (
    <p className="text-sm text-stone-700" data-testid="model-status" data-backend={state.classifier.backend}>
      Model ready on this device: <strong>{BACKEND_LABELS[state.classifier.backend]}</strong>.
      {state.classifier.refused.length > 0 && (
        <span className="text-stone-500"> ({state.classifier.refused.map((r) => `${r.backend}: ${r.reason}`).join("; ")})</span>
      )}
    </p>
  );
}
