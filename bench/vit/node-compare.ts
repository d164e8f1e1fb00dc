// `npm run bench:vit:node`: ours vs onnxruntime-web's WebGPU EP vs onnxruntime-web wasm in ONE Node process, no
// browser (runs on a bare GPU machine: see on-gpu-machine.sh). Same model, same input, each backend checked against the
// float64 reference (logits within 1e-3, map within 1e-3 relative) before it is timed. For each backend two rows:
// "classify" (logits, probs, features, last-block attention) and "classify + map" (also the attention-rollout map the
// Identify page draws). Our engine's rows also give GPU time from timestamp queries (where the adapter has
// timestamp-query), so wall time splits into GPU time and the rest (submit, mapping, read-back, JavaScript).
// Prints a table and writes results/<adapter>-node.json.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { Command } from "commander";
import { adapterName } from "../../lib/gpu/device.ts";
import { nodeGpu } from "../../lib/gpu/node.ts";
import { VitEngine } from "../../lib/vit/engine.ts";
import { vitModelFromOnnx } from "../../lib/vit/model.ts";
import { vitForwardRef } from "../../lib/vit/reference.ts";
import { relativeError } from "../../lib/attention/reference.ts";
import { copySharedViewsInWriteBuffer, DEFAULT_ORT_DIST, exposeNavigatorGpu, loadOrtWeb } from "./ort-web-node.ts";
import { printTable, type Row, type Timed } from "./node-report.ts";

const o = new Command()
  .name("bench:vit:node")
  .option("--model <file>", "ONNX model", "public/models/vit-tiny-imagenet.onnx")
  .option("--ort-dist <dir>", "onnxruntime-web's dist folder", DEFAULT_ORT_DIST)
  .option("--warmup <n>", "warm-up runs per row (default 10; 1 on a software adapter)")
  .option("--iters <n>", "timed runs per row, median reported (default 50; 3 on a software adapter)")
  .option("--wasm-threads <n>", "onnxruntime-web wasm threads", String(Math.min(4, os.availableParallelism())))
  .option("--backends <list>", "comma-separated subset of ours,ort-webgpu,ort-wasm", "ours,ort-webgpu,ort-wasm")
  .option("--machine <text>", "what the adapter runs on (WebGPU's adapter info may name only the driver)", "")
  .option("--out <file>", "result JSON (default bench/vit/results/<adapter>-node.json)")
  .parse()
  .opts<{ model: string; ortDist: string; warmup?: string; iters?: string; wasmThreads: string; backends: string; machine: string; out?: string }>();

const bytes = new Uint8Array(readFileSync(o.model));
const model = vitModelFromOnnx(bytes);
const S = model.meta.imageSize;
// A fixed pseudo-random image (the GPU machine has no photos): deterministic, in the normalised range.
let seed = 12345;
const image = Float32Array.from({ length: 3 * S * S }, () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1);
console.log("float64 reference forward (a few seconds)...");
const ref = vitForwardRef(image, model.weights, model.meta);

const ctx = await nodeGpu({ timestampQuery: true, validate: false });
const software = ctx.adapter.isSoftware;
const warmup = Number(o.warmup ?? (software ? 1 : 10));
const iters = Number(o.iters ?? (software ? 3 : 50));
const adapter = adapterName(ctx.adapter);
console.log(`adapter: ${adapter}; timestamp-query: ${ctx.hasTimestampQuery}; warm-up ${warmup}, ${iters} timed runs per row`);

// Dispatches per run, for any WebGPU user in this process (ours and onnxruntime's), as the browser bench counts them.
let dispatches = 0;
const dispatch = GPUComputePassEncoder.prototype.dispatchWorkgroups;
GPUComputePassEncoder.prototype.dispatchWorkgroups = function (this: GPUComputePassEncoder, ...a: Parameters<typeof dispatch>) {
  dispatches++;
  return dispatch.apply(this, a);
};

/** The version in onnxruntime-web's package.json (beside or above its dist folder). */
function ortVersion(dist: string): string {
  const file = [path.join(dist, "package.json"), path.join(dist, "..", "package.json")].find((f) => existsSync(f));
  return file ? (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version : "(version unknown)";
}

type Output = { logits: ArrayLike<number>; rollout: ArrayLike<number> | null; gpuMs: number | null };

/** Checks one run against the reference, then times warm-up + iters runs. */
async function timeRow(run: () => Promise<Output>, withMap: boolean): Promise<Timed> {
  const t0 = performance.now();
  const first = await run();
  const firstMs = performance.now() - t0;
  let logitErr = 0;
  for (let i = 0; i < ref.logits.length; i++) logitErr = Math.max(logitErr, Math.abs(first.logits[i]! - ref.logits[i]!));
  if (!(logitErr < 1e-3)) throw new Error(`logits differ from the float64 reference by ${logitErr}: not timed`);
  const mapErr = withMap ? relativeError(first.rollout ?? [], ref.rollout) : null;
  if (mapErr !== null && !(mapErr < 1e-3)) throw new Error(`attention map differs from the float64 reference: relative error ${mapErr}: not timed`);
  for (let i = 0; i < warmup; i++) await run();
  const d0 = dispatches;
  await run();
  const perRun = dispatches - d0;
  const wall: number[] = [];
  const gpu: number[] = [];
  for (let i = 0; i < iters; i++) {
    const t = performance.now();
    const r = await run();
    wall.push(performance.now() - t);
    if (r.gpuMs !== null) gpu.push(r.gpuMs);
  }
  const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
  return { firstMs, medianMs: median(wall), gpuMedianMs: gpu.length ? median(gpu) : null, runsMs: wall, dispatches: perRun, maxLogitErr: logitErr, mapRelErr: mapErr };
}

async function rowsFor(backend: Row["backend"], start: () => Promise<{ runs: Record<Row["outputs"], () => Promise<Output>>; close: () => void; createMs: number }>): Promise<Row[]> {
  try {
    const s = await start();
    const out: Row[] = [];
    for (const outputs of ["classify", "classify + map"] as const) {
      try {
        out.push({ backend, outputs, createMs: s.createMs, ...(await timeRow(s.runs[outputs], outputs !== "classify")) });
      } catch (e) {
        out.push({ backend, outputs, error: (e as Error).message });
      }
    }
    s.close();
    return out;
  } catch (e) {
    const err = e as Error;
    return [{ backend, outputs: "classify", error: `${err.message} at ${err.stack?.split("\n").slice(1, 3).join(" <- ").trim()}` }];
  }
}

const want = new Set(o.backends.split(","));
const rows: Row[] = [];
if (want.has("ours")) {
  rows.push(
    ...(await rowsFor("ours (WebGPU engine)", async () => {
      const t0 = performance.now();
      const gpuTiming = ctx.hasTimestampQuery;
      const plain = await VitEngine.create(ctx, model, { gpuTiming });
      const createMs = performance.now() - t0;
      const withMap = await VitEngine.create(ctx, model, { gpuTiming, rollout: true });
      return {
        createMs,
        runs: { classify: () => plain.run(image), "classify + map": () => withMap.run(image) },
        close: () => (plain.destroy(), withMap.destroy()),
      };
    })),
  );
}
for (const ep of ["webgpu", "wasm"] as const) {
  if (!want.has(`ort-${ep}`)) continue;
  rows.push(
    ...(await rowsFor(ep === "webgpu" ? "onnxruntime-web WebGPU (Dawn)" : "onnxruntime-web wasm", async () => {
      if (ep === "webgpu") {
        exposeNavigatorGpu(ctx.gpu);
        copySharedViewsInWriteBuffer();
      }
      const ort = await loadOrtWeb(ep, o.ortDist, ep === "wasm" ? Number(o.wasmThreads) : 1);
      const t0 = performance.now();
      const session = await ort.InferenceSession.create(bytes, { executionProviders: [ep], graphOptimizationLevel: "all" });
      const createMs = performance.now() - t0;
      const feeds = { pixel_values: new ort.Tensor("float32", image, [1, 3, S, S]) };
      const run = (names: string[]) => async (): Promise<Output> => {
        const r = await session.run(feeds, names);
        const get = async (n: string) => (await r[n]!.getData()) as Float32Array;
        const logits = await get("logits");
        for (const n of names) if (n !== "logits") await get(n);
        return { logits, rollout: names.includes("cls_rollout") ? await get("cls_rollout") : null, gpuMs: null };
      };
      const base = ["logits", "probs", "features", "cls_attention"];
      return { createMs, runs: { classify: run(base), "classify + map": run([...base, "cls_rollout"]) }, close: () => void session.release() };
    })),
  );
}

printTable(rows, adapter);
const slug = `${adapter.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "")}-node`;
const file = o.out ?? path.join(import.meta.dirname, "results", `${slug}.json`);
mkdirSync(path.dirname(file), { recursive: true });
const result = {
  date: new Date().toISOString(),
  machine: o.machine || undefined,
  adapter,
  softwareAdapter: software,
  note: software ? "SOFTWARE ADAPTER (WebGPU emulated on the CPU): these times say nothing about a GPU" : undefined,
  timestampQuery: ctx.hasTimestampQuery,
  runtime: `node ${process.version} + Dawn (webgpu package); onnxruntime-web ${ortVersion(o.ortDist)}`,
  cpus: os.availableParallelism(),
  loadAverage: os.loadavg(),
  model: { file: path.basename(o.model), sha256: createHash("sha256").update(bytes).digest("hex"), modelId: model.meta.modelId },
  input: "fixed pseudo-random [1, 3, 224, 224] image (seed 12345)",
  warmup,
  iters,
  wasmThreads: Number(o.wasmThreads),
  rows,
};
writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
console.log(`wrote ${path.relative(process.cwd(), file)}`);
ctx.destroy();
process.exit(0); // onnxruntime-web's wasm threads keep the event loop alive
