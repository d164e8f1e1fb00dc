// Flash vs naive attention on one adapter, one run: `npm run bench:attention` (see README.md beside this file).
// Batch 1, 3 heads, d = 64 (ViT-Tiny), N = 197, 785, 3137 (a ViT at 224, 448, 896 px). Each method is checked against
// the float64 reference (a sample of rows) before it is timed. Prints a table and writes results/<adapter>.json + .md.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Command } from "commander";
import { adapterName, type GpuContext } from "../../lib/gpu/device.ts";
import { nodeGpu } from "../../lib/gpu/node.ts";
import {
  checkNaiveFits,
  encodeFlashForward,
  flashAttention,
  flashAttentionBackward,
  encodeNaiveAttention,
  naiveScoresBytes,
  NaiveOutOfMemory,
  type AttentionShape,
  type Tiles,
} from "../../lib/attention/index.ts";
import { readFloats } from "../../lib/gpu/buffers.ts";
import { attentionBackward, attentionForward, relativeError } from "../../lib/attention/reference.ts";
import { randomArray, randomQKV } from "../../lib/attention/test-utils.ts";
import { resolveForwardTiles } from "../../lib/attention/flash-forward.ts";
import { peakBytes, timeIt } from "./measure.ts";
import { markdownReport, type BenchReport, type MethodResult, type SizeResult } from "./report.ts";

const GOALS: Record<number, number> = { 197: 1.5, 785: 2.5, 3137: 4 };

const program = new Command()
  .option("--sizes <list>", "sequence lengths", "197,785,3137")
  .option("--heads <n>", "heads", "3")
  .option("--d <n>", "head dimension", "64")
  .option("--trials <n>", "timed trials per method, median reported (default 15; 0 on software adapters: time the checked run)")
  .option("--target-ms <n>", "aim for trials of about this long")
  .option("--oom-sizes <list>", "larger N tried to find where naive runs out of memory (real GPUs only)", "6273,12545,25089,50177")
  .option("--sweep <list>", "also time these flash tile variants, e.g. 16x32x8,64x32x1 (br x bc x t)", "")
  .option("--dawn <list>", "options for Dawn's create(), e.g. enable-dawn-features=...", "")
  .option("--machine <text>", "what the adapter runs on (WebGPU's adapter info may name only the driver)", "")
  .option("--out <dir>", "result folder", path.join(import.meta.dirname, "results"))
  .parse();
const opt = program.opts<{ machine: string; dawn: string; sizes: string; heads: string; d: string; trials?: string; targetMs?: string; oomSizes: string; sweep: string; out: string }>();

const list = (s: string) => s.split(",").filter((x) => x !== "").map(Number);

async function upload(ctx: GpuContext, s: AttentionShape, x: ReturnType<typeof randomQKV>) {
  return {
    q: ctx.alloc.upload(x.q, "q"),
    k: ctx.alloc.upload(x.k, "k"),
    v: ctx.alloc.upload(x.v, "v"),
    o: ctx.alloc.storage(s.batch * s.heads * s.n * s.d * 4, "o"),
  };
}

/** Spot check: rows 0, N-1 and a few random ones of every head against the float64 reference. */
function spotRows(n: number): number[] {
  const rows = new Set([0, n - 1]);
  while (rows.size < Math.min(n, 24)) rows.add(Math.floor(Math.random() * n));
  return [...rows];
}

function rowError(s: AttentionShape, out: Float32Array, ref: Float64Array, rows: number[]): number {
  const a: number[] = [];
  const b: number[] = [];
  for (let bh = 0; bh < s.batch * s.heads; bh++) {
    for (const r of rows) {
      const off = (bh * s.n + r) * s.d;
      for (let c = 0; c < s.d; c++) {
        a.push(out[off + c]);
        b.push(ref[off + c]);
      }
    }
  }
  return relativeError(a, b);
}

async function runMethod(
  ctx: GpuContext,
  s: AttentionShape,
  x: ReturnType<typeof randomQKV>,
  ref: Float64Array,
  rows: number[],
  timing: { trials: number; targetMs: number; maxReps: number },
  kind: "flash" | "naive",
  tiles?: Tiles,
): Promise<MethodResult> {
  const flops = 4 * s.n * s.n * s.d * s.heads * s.batch;
  try {
    if (kind === "naive") checkNaiveFits(ctx.limits, s);
    const { result, bytes } = await peakBytes(ctx, async () => {
      const buffers = await upload(ctx, s, x);
      const scores = kind === "naive" ? await allocScores(ctx, s) : undefined;
      try {
        const record = (enc: GPUCommandEncoder) =>
          kind === "flash"
            ? encodeFlashForward(ctx, enc, s, buffers, { tiles })
            : encodeNaiveAttention(ctx, enc, s, { ...buffers, scores: scores! });
        const check = ctx.device.createCommandEncoder();
        await record(check);
        const t0 = performance.now();
        await ctx.submit(check);
        await ctx.device.queue.onSubmittedWorkDone();
        const checkMs = performance.now() - t0;
        const err = rowError(s, await readFloats(ctx.device, buffers.o, s.batch * s.heads * s.n * s.d), ref, rows);
        const bound = 1e-5;
        if (!(err < bound)) throw new Error(`${kind} N=${s.n}: relative error ${err} vs the reference exceeds ${bound}; not timing it`);
        // trials = 0 (software adapters: minutes per call at N=3137): the checked run is the one timing reported.
        const t = timing.trials > 0 ? await timeIt(ctx, record, timing) : { medianMs: checkMs, trialsMs: [checkMs], reps: 1 };
        return { ...t, relError: err };
      } finally {
        for (const b of [...Object.values(buffers), ...(scores ? [scores] : [])]) ctx.alloc.release(b);
      }
    });
    return {
      medianMs: result.medianMs,
      trialsMs: result.trialsMs,
      reps: result.reps,
      gflops: flops / (result.medianMs * 1e6),
      bytesAllocated: bytes,
      relErrorVsReference: result.relError,
      tiles: kind === "flash" ? (tiles ?? resolveForwardTiles(ctx, s, {})) : undefined,
    };
  } catch (e) {
    if (e instanceof NaiveOutOfMemory) return { outOfMemory: e.message };
    throw e;
  }
}

/** The naive score matrix, allocated inside an out-of-memory error scope so a failed allocation is reported. */
async function allocScores(ctx: GpuContext, s: AttentionShape): Promise<GPUBuffer> {
  ctx.device.pushErrorScope("out-of-memory");
  const scores = ctx.alloc.storage(naiveScoresBytes(s), "naive scores");
  const err = await ctx.device.popErrorScope();
  if (err) {
    ctx.alloc.release(scores);
    throw new NaiveOutOfMemory(`naiveAttention: allocating the ${naiveScoresBytes(s)} B score matrix failed: ${err.message}`);
  }
  return scores;
}

async function main() {
  const dawnOptions = opt.dawn.split(";").filter((o) => o !== "");
  const ctx = await nodeGpu({ maxLimits: true, validate: false, dawnOptions });
  const software = ctx.adapter.isSoftware;
  const heads = Number(opt.heads);
  const d = Number(opt.d);
  const timing = {
    trials: Number(opt.trials ?? (software ? 0 : 15)),
    targetMs: Number(opt.targetMs ?? (software ? 1 : 100)),
    maxReps: software ? 1 : 200,
  };
  const name = adapterName(ctx.adapter);
  const adapterHasF16 = ctx.adapter.features.includes("shader-f16");
  console.log(`adapter: ${name}; adapter has shader-f16: ${adapterHasF16} (no f16 kernel: lib/attention/README.md); maxComputeWorkgroupStorageSize ${ctx.limits.maxComputeWorkgroupStorageSize}`);
  const sizes: SizeResult[] = [];
  for (const n of list(opt.sizes)) {
    const s = { batch: 1, heads, n, d };
    const x = randomQKV(s);
    const rows = spotRows(n);
    const ref = attentionForward(x.q, x.k, x.v, s, { rows }).o;
    const flash = await runMethod(ctx, s, x, ref, rows, timing, "flash");
    const naive = await runMethod(ctx, s, x, ref, rows, timing, "naive");
    const variants: Record<string, MethodResult> = {};
    for (const v of opt.sweep.split(",").filter((t) => t !== "")) {
      const [br, bc, t] = v.split("x").map(Number);
      variants[v] = await runMethod(ctx, s, x, ref, rows, timing, "flash", { br, bc, t: t ?? 1 });
    }
    const speedup = "medianMs" in naive && "medianMs" in flash ? naive.medianMs / flash.medianMs : undefined;
    const row: SizeResult = { n, shape: s, flash, naive, variants, speedup, goal: GOALS[n] };
    sizes.push(row);
    console.log(
      `N=${n}: flash ${"medianMs" in flash ? flash.medianMs.toFixed(3) : "-"} ms, naive ${"medianMs" in naive ? naive.medianMs.toFixed(3) : "OOM"} ms, speedup ${speedup?.toFixed(2) ?? "-"}`,
    );
  }
  // Where does naive run out of memory? Real GPUs only (SwiftShader would take hours at these sizes).
  const oom: BenchReport["naiveOutOfMemory"] = [];
  for (const n of software ? [] : list(opt.oomSizes)) {
    const s = { batch: 1, heads, n, d };
    let naive: string;
    try {
      checkNaiveFits(ctx.limits, s);
      ctx.alloc.release(await allocScores(ctx, s));
      naive = `fits: ${naiveScoresBytes(s)} B score matrix allocated`;
    } catch (e) {
      if (!(e instanceof NaiveOutOfMemory)) throw e;
      naive = e.message;
    }
    const fits = naive.startsWith("fits");
    // Where naive cannot run, flash still does: one checked, timed run (3 trials) at that size.
    let flash: MethodResult | undefined;
    if (!fits) {
      const x = randomQKV(s);
      const rows = spotRows(n);
      flash = await runMethod(ctx, s, x, attentionForward(x.q, x.k, x.v, s, { rows }).o, rows, { trials: 3, targetMs: 0, maxReps: 1 }, "flash");
    }
    oom.push({ n, scoresBytes: naiveScoresBytes(s), naive, fits, flash });
    console.log(`N=${n}: naive ${naive}${flash && "medianMs" in flash ? `; flash ${flash.medianMs.toFixed(1)} ms, ${flash.bytesAllocated} B` : ""}`);
    if (!fits) break;
  }
  // The backward kernels on this adapter too: relative errors of dq, dk, dv against the float64 reference.
  const bs = { batch: 1, heads, n: 197, d };
  const bx = randomQKV(bs);
  const dO = randomArray(bx.q.length);
  const fwd = await flashAttention(ctx, bs, bx, { withLse: true });
  const grads = await flashAttentionBackward(ctx, bs, { ...bx, o: fwd.o, dO, lse: fwd.lse! });
  const gref = attentionBackward(bx.q, bx.k, bx.v, dO, bs);
  const backwardCheck = {
    shape: bs,
    dq: relativeError(grads.dq, gref.dq),
    dk: relativeError(grads.dk, gref.dk),
    dv: relativeError(grads.dv, gref.dv),
  };
  console.log(`backward check N=197: relative errors dq ${backwardCheck.dq}, dk ${backwardCheck.dk}, dv ${backwardCheck.dv}`);
  const report: BenchReport = {
    machine: opt.machine || undefined,
    adapter: ctx.adapter,
    adapterName: name,
    softwareAdapter: software,
    adapterHasF16,
    limits: {
      maxComputeWorkgroupStorageSize: ctx.limits.maxComputeWorkgroupStorageSize,
      maxStorageBufferBindingSize: ctx.limits.maxStorageBufferBindingSize,
      maxBufferSize: ctx.limits.maxBufferSize,
    },
    date: new Date().toISOString(),
    node: process.version,
    timing,
    sizes,
    naiveOutOfMemory: oom,
    backwardCheck,
  };
  const md = markdownReport(report);
  console.log(`\n${md}`);
  mkdirSync(opt.out, { recursive: true });
  const slug = (software ? "software-" : "") + name.toLowerCase().replace(/\(software adapter\)/, "").replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
  writeFileSync(path.join(opt.out, `${slug}.json`), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(path.join(opt.out, `${slug}.md`), md);
  console.log(`wrote ${path.join(opt.out, slug)}.json and .md`);
  ctx.destroy();
}

await main();
