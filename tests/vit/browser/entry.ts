// Page-side helpers for the ViT browser tests and the benchmark (bundled by esbuild, served by ../browser-harness.ts).
import { loadClassifier, type BackendChoice, type BackendName, type Classifier } from "../../../lib/vit/classifier.ts";
import { imageToTensor } from "../../../lib/vit/preprocess-browser.ts";

export type PageLoad = { backend: BackendName; refused: { backend: BackendName; reason: string }[]; adapter: string | null; choice: Omit<BackendChoice, "adapter"> };
export type PageSample = { file: string; top1: number; top5: number[]; logits: number[]; attentionLength: number; rollout: number[] | null; ms: number };
export type PageBench = { backend: BackendName; adapter: string | null; loadMs: number; firstMs: number; medianMs: number; runs: number[]; dispatches: number; gpuBytesPeak: number | null };

// Counting hooks on the WebGPU prototypes: dispatches per image and GPU buffer bytes, for any backend in the page.
const counters = { dispatches: 0, live: 0, peak: 0 };
const sizes = new WeakMap<GPUBuffer, number>();
if (typeof GPUComputePassEncoder !== "undefined") {
  const dispatch = GPUComputePassEncoder.prototype.dispatchWorkgroups;
  GPUComputePassEncoder.prototype.dispatchWorkgroups = function (this: GPUComputePassEncoder, ...a: Parameters<typeof dispatch>) {
    counters.dispatches++;
    return dispatch.apply(this, a);
  };
  const create = GPUDevice.prototype.createBuffer;
  GPUDevice.prototype.createBuffer = function (this: GPUDevice, d: GPUBufferDescriptor) {
    const b = create.call(this, d);
    sizes.set(b, d.size);
    counters.live += d.size;
    counters.peak = Math.max(counters.peak, counters.live);
    return b;
  };
  const destroy = GPUBuffer.prototype.destroy;
  GPUBuffer.prototype.destroy = function (this: GPUBuffer) {
    counters.live -= sizes.get(this) ?? 0;
    sizes.delete(this);
    return destroy.call(this);
  };
}

const loaded = new Map<string, Classifier>();

async function tensorOf(c: Classifier, file: string): Promise<Float32Array> {
  const blob = await (await fetch(`/samples/${file}`)).blob();
  return imageToTensor(blob, c.meta);
}

const api = {
  async load(key: string, opts: { backends?: BackendName[]; force?: BackendName } = {}): Promise<PageLoad> {
    const c = await loadClassifier("/model.onnx", { ...opts, ortWasmPaths: "/ort/", store: null });
    loaded.set(key, c);
    const { how, reason, timings } = c.choice;
    return { backend: c.backend, refused: c.refused, adapter: c.adapter, choice: { how, reason, timings } };
  },
  async classify(key: string, files: string[]): Promise<PageSample[]> {
    const c = loaded.get(key)!;
    const out: PageSample[] = [];
    for (const file of files) {
      const r = await c.classify(await tensorOf(c, file));
      const top5 = [...r.logits.keys()].sort((a, b) => r.logits[b]! - r.logits[a]!).slice(0, 5);
      const rollout = r.rollout ? Array.from(r.rollout) : null;
      out.push({ file, top1: top5[0]!, top5, logits: Array.from(r.logits), attentionLength: r.attention?.length ?? 0, rollout, ms: r.ms });
    }
    return out;
  },
  async bench(backend: BackendName, file: string, warmup: number, iters: number): Promise<PageBench> {
    const peak0 = counters.live;
    counters.peak = counters.live;
    const t0 = performance.now();
    const c = await loadClassifier("/model.onnx", { backends: [backend], ortWasmPaths: "/ort/", store: null });
    const loadMs = performance.now() - t0;
    const x = await tensorOf(c, file);
    const d0 = counters.dispatches;
    const t1 = performance.now();
    await c.classify(x);
    const firstMs = performance.now() - t1;
    for (let i = 0; i < warmup; i++) await c.classify(x);
    const d1 = counters.dispatches;
    await c.classify(x);
    const dispatches = counters.dispatches - d1;
    const runs: number[] = [];
    for (let i = 0; i < iters; i++) {
      const t = performance.now();
      await c.classify(x);
      runs.push(performance.now() - t);
    }
    const sorted = [...runs].sort((a, b) => a - b);
    const gpuBytesPeak = backend === "ort-wasm" ? null : counters.peak - peak0;
    void d0;
    c.dispose();
    return { backend, adapter: c.adapter, loadMs, firstMs, medianMs: sorted[Math.floor(sorted.length / 2)]!, runs, dispatches, gpuBytesPeak };
  },
};

export type VitPageApi = typeof api;
(globalThis as unknown as { vit: VitPageApi }).vit = api;
(globalThis as unknown as { vitReady: boolean }).vitReady = true;
