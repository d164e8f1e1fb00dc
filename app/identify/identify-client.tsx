"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { downloadModel, type DownloadProgress } from "@/lib/identify/model-download";
import { classifierFromBytes, type Classifier } from "@/lib/vit/classifier.ts";
import { cropToTensor, imageToCrop } from "@/lib/vit/preprocess-browser.ts";
import { BACKEND_LABELS, patchAttention } from "@/lib/identify/backend-labels";
import { combinePhotoProbs, topK } from "@/lib/identify/combine";
import { buildResult, type IdentifyResult } from "@/lib/identify/result";
import type { CandidateFacts } from "@/lib/identify/species-facts";
import { ResultView } from "./result-view";
import { PhotoPicker, type PickedPhoto } from "./photo-picker";

type ModelState =
  | { kind: "downloading"; progress: DownloadProgress | null }
  | { kind: "starting" }
  | { kind: "ready"; classifier: Classifier }
  | { kind: "error"; message: string };

export type RunOutcome = { result: IdentifyResult; ms: number; crops: ImageData[]; attention: (Float32Array | null)[] };

export function IdentifyClient({ modelUrl }: { modelUrl: string }) {
  const [model, setModel] = useState<ModelState>({ kind: "downloading", progress: null });
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
        const bytes = await downloadModel(modelUrl, (progress) => setModel({ kind: "downloading", progress }));
        setModel({ kind: "starting" });
        const classifier = await classifierFromBytes(bytes);
        setModel({ kind: "ready", classifier });
      } catch (e) {
        setModel({ kind: "error", message: e instanceof Error ? e.message : String(e) });
      }
    })();
  }, [modelUrl]);

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
        const pred = await c.classify(cropToTensor(crop, c.meta));
        crops.push(crop);
        attention.push(pred.attention ? patchAttention(pred.attention, c.meta.numHeads) : null);
        perPhoto.push(pred.probs);
      }
      const ms = performance.now() - t0;
      const ranked = topK(combinePhotoProbs(perPhoto), c.meta.labels, 5);
      const res = await fetch("/api/species/facts", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ labels: ranked.map((r) => r.label) }),
      });
      // Without catalog facts every candidate counts as unknown edibility (not edible), never as safe.
      const facts: CandidateFacts[] = res.ok ? await res.json() : ranked.map((r) => ({ label: r.label, species: null }));
      setOutcome({ result: buildResult(ranked, facts, c.meta.abstainThreshold), ms, crops, attention });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setRunning(false);
    }
  }, [model, photos]);

  return (
    <div className="grid gap-5">
      <ModelStatus state={model} />
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
      {outcome && model.kind === "ready" && (
        <ResultView outcome={outcome} backend={BACKEND_LABELS[model.classifier.backend]} photos={photos} />
      )}
    </div>
  );
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
