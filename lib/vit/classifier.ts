// The one place that picks the inference backend in the browser (STYLE.md #9), by measurement:
//   1. backends that cannot run here are refused with the reason (no WebGPU, no adapter);
//   2. ?backend= (LoadOptions.force) runs the named backend if it starts;
//   3. a choice measured earlier for this device and model (localStorage) is reused;
//   4. on a software adapter (SwiftShader, llvmpipe, WARP, isFallbackAdapter) WebGPU is emulated on the CPU, so the GPU
//      backends are not timed: onnxruntime-web wasm runs (the GPU backends stay as a last resort if it cannot start);
//   5. otherwise each backend is started, warmed up and timed on the loaded model (wasm first, as the reference the GPU
//      backends must agree with), the fastest is kept and remembered.
// The classifier says which backend ran, how it was chosen and why, with the measured times.
import { adapterName, summarizeAdapter, type AdapterSummary } from "../gpu/device.ts";
import { readStream } from "../bytes.ts";
import { BACKEND_ORDER, engineBackend, ortBackend, type Backend, type BackendName } from "./backends.ts";
import { choiceKey, defaultStore, forgetChoice, readChoice, sha256Hex, writeChoice, type BackendTiming, type ChoiceStore } from "./backend-cache.ts";

export { BACKEND_ORDER, isBackendName, type BackendName, type ClassifyResult } from "./backends.ts";
export type { BackendTiming, ChoiceStore } from "./backend-cache.ts";

export type Progress = { phase: "download" | "init" | "measure"; loaded: number; total: number | null };

export type LoadOptions = {
  onProgress?: (p: Progress) => void;
  /** Backends that may run (default all three). */
  backends?: readonly BackendName[];
  /** Run this backend if it starts (the Identify page's ?backend=); otherwise the choice is made as usual. */
  force?: BackendName;
  /** Where onnxruntime-web's .wasm files are served (default "/ort/"). */
  ortWasmPaths?: string;
  /** The model's SHA-256 (hex), naming the remembered choice; computed from the bytes when absent. */
  modelSha256?: string;
  /** Where the measured choice is remembered (default localStorage; null: never). */
  store?: ChoiceStore | null;
  /** Timed runs per backend after the warm-up (default 3). */
  timedRuns?: number;
};

export type Refusal = { backend: BackendName; reason: string };

export type BackendChoice = {
  how: "measured" | "cached" | "forced" | "software-adapter" | "only-one";
  /** One sentence for the page. */
  reason: string;
  /** The measurement behind a measured or cached choice (empty otherwise). */
  timings: BackendTiming[];
  /** The WebGPU adapter, when the page has one. */
  adapter: AdapterSummary | null;
};

export type Classifier = Backend & {
  /** Backends that could not run, failed, disagreed, or were not tried on a software adapter, with reasons. */
  refused: Refusal[];
  choice: BackendChoice;
};

export type GpuProbe = { ok: true; adapter: AdapterSummary } | { ok: false; reason: string };
let gpuProbe: Promise<GpuProbe> | undefined;

/** Does this page have a usable WebGPU adapter, and what is it? Asked once per page. */
export function probeWebGpu(): Promise<GpuProbe> {
  gpuProbe ??= (async (): Promise<GpuProbe> => {
    const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
    if (!gpu) return { ok: false, reason: "navigator.gpu is missing (no WebGPU in this browser, or not a secure context)" };
    try {
      // The adapter our engine (lib/gpu/device.ts) and onnxruntime-web's WebGPU EP ask for.
      const adapter = await gpu.requestAdapter({ powerPreference: "high-performance" });
      return adapter ? { ok: true, adapter: summarizeAdapter(adapter) } : { ok: false, reason: "navigator.gpu.requestAdapter() returned null (no usable GPU adapter)" };
    } catch (e) {
      return { ok: false, reason: `requestAdapter failed: ${(e as Error).message}` };
    }
  })();
  return gpuProbe;
}

const isGpu = (b: BackendName) => b !== "ort-wasm";
const describe = (a: AdapterSummary) => [a.vendor, a.architecture, a.description || a.device].filter((s) => s !== "").join(" / ") || "unnamed";
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
/** Two backends on the same model and input agree to ~1e-4; a larger gap means a broken driver or kernel. */
const AGREEMENT = 1e-2;

async function download(url: string, onProgress?: (p: Progress) => void): Promise<Uint8Array> {
  const res = await fetch(url);
  if (!res.ok || !res.body) throw new Error(`loadClassifier: GET ${url} answered ${res.status}`);
  const total = Number(res.headers.get("content-length")) || null;
  return readStream(res.body, (loaded) => onProgress?.({ phase: "download", loaded, total }));
}

/** Downloads the model once and returns a classifier on the backend chosen as described above. */
export async function loadClassifier(modelUrl: string, opts: LoadOptions = {}): Promise<Classifier> {
  return classifierFromBytes(await download(modelUrl, opts.onProgress), opts);
}

/** A classifier for model bytes the caller already has (e.g. from a cache). */
export function classifierFromBytes(bytes: Uint8Array, opts: LoadOptions = {}): Promise<Classifier> {
  return chooseBackend(
    {
      probe: probeWebGpu,
      start: (b) => (b === "webgpu-engine" ? engineBackend(bytes) : ortBackend(bytes, b === "ort-webgpu" ? "webgpu" : "wasm", opts.ortWasmPaths ?? "/ort/")),
      modelSha256: async () => opts.modelSha256 ?? (await sha256Hex(bytes)),
    },
    opts,
  );
}

/** What the choice needs from the outside world (the tests pass fakes). */
export type ChoiceDeps = {
  probe: () => Promise<GpuProbe>;
  start: (b: BackendName) => Promise<Backend>;
  modelSha256: () => Promise<string>;
};

/** The choice itself (steps 1-5 above). */
export async function chooseBackend(deps: ChoiceDeps, opts: LoadOptions = {}): Promise<Classifier> {
  const candidates = opts.backends ?? BACKEND_ORDER;
  const refused: Refusal[] = [];
  const probe = candidates.some(isGpu) ? await deps.probe() : null;
  const adapter = probe?.ok ? probe.adapter : null;
  const start = deps.start;
  const done = (c: Backend, choice: Omit<BackendChoice, "adapter">): Classifier => ({ ...c, refused, choice: { ...choice, adapter } });

  let usable = candidates.filter((b) => {
    if (isGpu(b) && probe && !probe.ok) refused.push({ backend: b, reason: probe.reason });
    return !isGpu(b) || probe?.ok === true;
  });

  if (opts.force) {
    const f = opts.force;
    if (usable.includes(f)) {
      try {
        return done(await start(f), { how: "forced", reason: `${f} was requested with ?backend=${f}`, timings: [] });
      } catch (e) {
        refused.push({ backend: f, reason: `requested with ?backend=${f} but could not start: ${message(e)}` });
        usable = usable.filter((b) => b !== f);
      }
    } else if (!refused.some((r) => r.backend === f)) {
      refused.push({ backend: f, reason: `requested with ?backend=${f} but not among the backends allowed here` });
    }
  }

  if (adapter?.isSoftware && usable.some(isGpu)) {
    const gpu = usable.filter(isGpu);
    const cpu = usable.filter((b) => !isGpu(b));
    const software = `the WebGPU adapter (${describe(adapter)}) is a software adapter: WebGPU is emulated on the CPU`;
    const c = await firstThatStarts([...cpu, ...gpu], start, refused);
    for (const b of gpu) if (b !== c.backend) refused.push({ backend: b, reason: `not timed: ${software}` });
    const reason = isGpu(c.backend) ? `${software}, but onnxruntime-web wasm could not start` : `${software}, so the GPU backends are not timed`;
    return done(c, { how: "software-adapter", reason, timings: [] });
  }

  if (usable.length <= 1) {
    const c = await firstThatStarts(usable, start, refused);
    const reason = refused.length > 0 ? "the only backend that can run here" : "the only backend allowed";
    return done(c, { how: "only-one", reason, timings: [] });
  }

  const store = opts.store === undefined ? defaultStore() : opts.store;
  const key = choiceKey(await deps.modelSha256(), adapter ? adapterName(adapter) : "no WebGPU");
  const cached = readChoice(store, key);
  if (cached && usable.includes(cached.backend)) {
    try {
      return done(await start(cached.backend), { how: "cached", reason: `${cached.reason} (measured ${cached.at.slice(0, 10)} on this device)`, timings: cached.timings });
    } catch (e) {
      forgetChoice(store, key);
      refused.push({ backend: cached.backend, reason: `chosen by an earlier measurement but could not start now: ${message(e)}` });
      usable = usable.filter((b) => b !== cached.backend);
    }
  }

  const { best, timings } = await measureAll(usable, start, refused, opts);
  const ranked = [...timings].sort((a, b) => a.runMs - b.runMs);
  const fmt = (t: BackendTiming) => `${t.backend} ${t.runMs < 10 ? t.runMs.toFixed(1) : Math.round(t.runMs)} ms`;
  const reason = `fastest when timed on this device: ${ranked.map(fmt).join(", ")} per photo (median of ${opts.timedRuns ?? 3} runs after a warm-up)`;
  writeChoice(store, key, { backend: best.backend, reason, timings, at: new Date().toISOString() });
  return done(best, { how: "measured", reason, timings });
}

async function firstThatStarts(order: readonly BackendName[], start: (b: BackendName) => Promise<Backend>, refused: Refusal[]): Promise<Backend> {
  for (const b of order) {
    try {
      return await start(b);
    } catch (e) {
      refused.push({ backend: b, reason: message(e) });
    }
  }
  throw new Error(`loadClassifier: no backend works: ${refused.map((r) => `${r.backend}: ${r.reason}`).join("; ")}`);
}

/** Starts, warms up and times each backend (wasm first: the reference); keeps only the fastest one alive. */
async function measureAll(usable: readonly BackendName[], start: (b: BackendName) => Promise<Backend>, refused: Refusal[], opts: LoadOptions) {
  const order = [...usable].sort((a, b) => Number(isGpu(a)) - Number(isGpu(b)));
  const timings: BackendTiming[] = [];
  let best: { c: Backend; runMs: number } | null = null;
  let reference: Float32Array | null = null;
  for (const [i, b] of order.entries()) {
    opts.onProgress?.({ phase: "measure", loaded: i, total: order.length });
    let c: Backend | null = null;
    try {
      const t0 = performance.now();
      c = await start(b);
      const loadMs = performance.now() - t0;
      const image = new Float32Array(3 * c.meta.imageSize * c.meta.imageSize); // mid-grey after normalisation
      const first = await c.classify(image);
      const runs: number[] = [];
      for (let r = 0; r < (opts.timedRuns ?? 3); r++) runs.push((await c.classify(image)).ms);
      const gap = reference ? maxAbsDiff(first.logits, reference) : 0;
      if (!(gap <= AGREEMENT)) throw new Error(`disagrees with onnxruntime-web wasm: logits differ by up to ${gap.toPrecision(3)} on the same input`);
      reference ??= first.logits;
      const runMs = runs.sort((x, y) => x - y)[Math.floor(runs.length / 2)] ?? first.ms;
      timings.push({ backend: b, loadMs, firstMs: first.ms, runMs });
      if (!best || runMs < best.runMs) {
        best?.c.dispose();
        best = { c, runMs };
      } else c.dispose();
    } catch (e) {
      c?.dispose();
      refused.push({ backend: b, reason: message(e) });
    }
  }
  if (!best) throw new Error(`loadClassifier: no backend works: ${refused.map((r) => `${r.backend}: ${r.reason}`).join("; ")}`);
  return { best: best.c, timings };
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return Number.isNaN(m) ? Infinity : m;
}
