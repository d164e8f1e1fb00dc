// Our engine in Node (Dawn), for machines without a browser: latency (first run, median after warm-up), dispatches,
// GPU bytes, and a correctness check against the CPU reference on a random image before anything is timed.
// npx tsx bench/vit/node-engine.ts --model public/models/vit-tiny-imagenet.onnx [--samples dir]
import { readFileSync, writeFileSync } from "node:fs";
import { Command } from "commander";
import { nodeGpu } from "../../lib/gpu/node.ts";
import { adapterName } from "../../lib/gpu/device.ts";
import { vitModelFromOnnx } from "../../lib/vit/model.ts";
import { VitEngine } from "../../lib/vit/engine.ts";
import { vitForwardRef } from "../../lib/vit/reference.ts";

const o = new Command()
  .requiredOption("--model <file>")
  .option("--samples <dir>", "known answers: samples.f32 [B,3,224,224], expected.json {labels: number[], ortLogits: number[]}")
  .option("--warmup <n>", "", "10")
  .option("--iters <n>", "", "50")
  .option("--batch <n>", "also time this batch size", "8")
  .option("--out <file>")
  .parse()
  .opts<{ model: string; samples?: string; warmup: string; iters: string; batch: string; out?: string }>();

const ctx = await nodeGpu();
const model = vitModelFromOnnx(new Uint8Array(readFileSync(o.model)));
const t0 = performance.now();
const engine = await VitEngine.create(ctx, model, { maxBatch: Number(o.batch) });
const createMs = performance.now() - t0;
const plane = 3 * 224 * 224;
const image = new Float32Array(plane).map(() => Math.random() * 2 - 1);
const t1 = performance.now();
const first = await engine.run(image);
const firstMs = performance.now() - t1;
const ref = vitForwardRef(image, model.weights, model.meta);
let maxDiff = 0;
for (let i = 0; i < ref.logits.length; i++) maxDiff = Math.max(maxDiff, Math.abs(first.logits[i]! - ref.logits[i]!));
if (!(maxDiff < 1e-3)) throw new Error(`engine differs from the CPU reference by ${maxDiff}: not timing it`);
let knownAnswers: { right: number; of: number; maxLogitDiffVsOrt: number } | null = null;
if (o.samples) {
  const x = new Float32Array(new Uint8Array(readFileSync(`${o.samples}/samples.f32`)).buffer);
  const want = JSON.parse(readFileSync(`${o.samples}/expected.json`, "utf8")) as { labels: number[]; ortLogits: number[] };
  const C = model.meta.labels.length;
  let right = 0;
  let diff = 0;
  for (let b = 0; b < want.labels.length; b++) {
    const r = await engine.run(x.subarray(b * plane, (b + 1) * plane));
    if (r.logits.indexOf(Math.max(...r.logits)) === want.labels[b]) right++;
    for (let c = 0; c < C; c++) diff = Math.max(diff, Math.abs(r.logits[c]! - want.ortLogits[b * C + c]!));
  }
  knownAnswers = { right, of: want.labels.length, maxLogitDiffVsOrt: diff };
}
const time = async (B: number, n: number, warm: number) => {
  const x = new Float32Array(B * plane).map(() => Math.random() * 2 - 1);
  for (let i = 0; i < warm; i++) await engine.run(x, B);
  const runs: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await engine.run(x, B);
    runs.push(performance.now() - t);
  }
  return runs.sort((a, b) => a - b)[Math.floor(n / 2)]!;
};
const medianMs = await time(1, Number(o.iters), Number(o.warmup));
const B = Number(o.batch);
const batchMedianMs = B > 1 ? await time(B, Math.max(5, Number(o.iters) / 5), 3) : null;
const result = {
  adapter: adapterName(ctx.adapter),
  runtime: `node ${process.version} + Dawn (webgpu package)`,
  createMs,
  firstMs,
  medianMs,
  batch: B,
  batchMedianMs,
  perImageAtBatchMs: batchMedianMs === null ? null : batchMedianMs / B,
  dispatches: await engine.dispatches(1),
  weightMiB: engine.weightBytes / 2 ** 20,
  activationMiB: engine.activationBytes / 2 ** 20,
  maxLogitDiffVsCpuReference: maxDiff,
  knownAnswers,
};
console.log(JSON.stringify(result, null, 2));
if (o.out) writeFileSync(o.out, JSON.stringify(result, null, 2) + "\n");
engine.destroy();
ctx.destroy();
