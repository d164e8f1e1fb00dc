"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { currentModel, downloadModel, type DownloadProgress, type ModelRef } from "@/lib/identify/model-download";
import { CAUTION_NOTICE } from "@/lib/verdict/text.ts";
import { CautionNotice } from "./caution-notice";
import { classifierFromBytes, isBackendName, type BackendName, type Classifier } from "@/lib/vit/classifier.ts";
import { cropToTensor, imageToCrop } from "@/lib/vit/preprocess-browser.ts";
import { BACKEND_LABELS } from "@/lib/identify/backend-labels";
import { BackendStatus } from "./backend-status";
import { buildResult, labelsNeedingFacts, type IdentifyResult } from "@/lib/identify/result";
import type { CandidateFacts } from "@/lib/identify/species-facts";
import { parseFactsResponse } from "@/lib/identify/facts-schema";
import { classifyPhoto } from "@/lib/identify/classify-photo";
import { fusedLabels, fuseWithPrototypes, type PrototypeSet } from "@/lib/identify/prototypes";
import { downloadPrototypes } from "@/lib/identify/prototype-download";
import { ResultView } from "./result-view";
import { PhotoPicker, type PickedPhoto } from "./photo-picker";

type ModelState =
  | { kind: "downloading"; progress: DownloadProgress | null }
  | { kind: "starting" }
  | { kind: "ready"; classifier: Classifier; note: string | null }
  | { kind: "error"; message: string };

/** rollout: per photo, the attention-rollout map [N] (class token first), or null where the backend has none. */
export type RunOutcome = { result: IdentifyResult; ms: number; crops: ImageData[]; rollout: (Float32Array | null)[] };

/** ?backend=webgpu-engine|ort-webgpu|ort-wasm runs that backend; anything else is ignored with a note. */
function backendParam(): { force?: BackendName; note: string | null } {
  const value = new URLSearchParams(globalThis.location?.search ?? "").get("backend");
  if (value === null) return { note: null };
  if (isBackendName(value)) return { force: value, note: null };
  return { note: `Ignored ?backend=${value}: use webgpu-engine, ort-webgpu or ort-wasm.` };
}

export function IdentifyClient({ model: pageModel, ortBase }: { model: ModelRef; ortBase: string }) {
  const [model, setModel] = useState<ModelState>({ kind: "downloading", progress: null });
  const [offline, setOffline] = useState(false);
  const [photos, setPhotos] = useState<PickedPhoto[]>([]);
  const [running, setRunning] = useState(false);
  const [outcome, setOutcome] = useState<RunOutcome | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [protos, setProtos] = useState<PrototypeSet | null>(null);
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
        const { force, note } = backendParam();
        const classifier = await classifierFromBytes(bytes, { ortWasmPaths: ortBase, force, modelSha256: use.sha256 });
        setProtos(await downloadPrototypes(use.sha256));
        setModel({ kind: "ready", classifier, note });
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
      const rollout: (Float32Array | null)[] = [];
      const perPhoto: Float32Array[] = [];
      for (const p of photos) {
        const crop = await imageToCrop(p.file, c.meta);
        const pred = await classifyPhoto(c.meta, (x) => c.classify(x), cropToTensor(crop, c.meta));
        crops.push(crop);
        rollout.push(pred.rollout);
        // The head's probabilities fused with the prototype head (taxa added by reviewers' approvals included).
        perPhoto.push(fuseWithPrototypes(c.meta.labels, pred.probs, pred.features, protos));
      }
      const ms = performance.now() - t0;
      const labels = fusedLabels(c.meta.labels, protos);
      const facts = await fetchFacts(labelsNeedingFacts(labels, perPhoto));
      setOutcome({ result: buildResult({ labels, perPhoto, facts, abstainThreshold: c.meta.abstainThreshold }), ms, crops, rollout });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setRunning(false);
    }
  }, [model, photos, protos]);

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
  if (state.kind === "starting") return <p className="text-sm" data-testid="model-status">Starting the model… (on the first visit this times each backend on this device)</p>;
  if (state.kind === "error") return <p role="alert" className="rounded bg-red-50 p-3 text-sm" data-testid="model-status">The model could not start: {state.message}</p>;
  return <BackendStatus classifier={state.classifier} note={state.note} />;
}
