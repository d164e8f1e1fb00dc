// Timing and memory accounting for the attention benchmark.
import type { GpuContext } from "../../lib/gpu/device.ts";

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * Median milliseconds of one call of `record`: each trial records `reps` calls into one command buffer, submits it and
 * waits for the queue, so launch and submit overhead are amortised the same way for every method. With maxReps > 1, an
 * untimed warm-up comes first and `reps` is chosen so that a trial lasts about `targetMs` (the caller's correctness
 * check has already compiled the pipelines, so a single-rep run needs no warm-up).
 */
export async function timeIt(
  ctx: GpuContext,
  record: (encoder: GPUCommandEncoder) => Promise<void>,
  opts: { trials: number; targetMs: number; maxReps: number },
): Promise<{ medianMs: number; trialsMs: number[]; reps: number }> {
  const trial = async (reps: number) => {
    const encoder = ctx.device.createCommandEncoder();
    for (let i = 0; i < reps; i++) await record(encoder);
    const t0 = performance.now();
    await ctx.submit(encoder);
    await ctx.device.queue.onSubmittedWorkDone();
    return (performance.now() - t0) / reps;
  };
  let reps = 1;
  if (opts.maxReps > 1) {
    await trial(1);
    const once = await trial(1);
    reps = Math.max(1, Math.min(opts.maxReps, Math.round(opts.targetMs / Math.max(once, 1e-3))));
  }
  const trialsMs: number[] = [];
  for (let t = 0; t < opts.trials; t++) trialsMs.push(await trial(reps));
  return { medianMs: median(trialsMs), trialsMs, reps };
}

/** Runs `body` and returns the most bytes its allocations held at once (buffers made through ctx.alloc). */
export async function peakBytes<T>(ctx: GpuContext, body: () => Promise<T>): Promise<{ result: T; bytes: number }> {
  const base = ctx.alloc.bytesLive;
  ctx.alloc.resetPeak();
  const result = await body();
  return { result, bytes: ctx.alloc.bytesPeak - base };
}
