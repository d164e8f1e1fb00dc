// Result types and the markdown table of the attention benchmark.
import type { AdapterSummary } from "../../lib/gpu/device.ts";
import type { AttentionShape, Tiles } from "../../lib/attention/index.ts";

export type MethodResult =
  | {
      medianMs: number;
      trialsMs: number[];
      reps: number;
      gflops: number;
      bytesAllocated: number;
      relErrorVsReference: number;
      tiles?: Tiles;
    }
  | { outOfMemory: string };

export interface SizeResult {
  n: number;
  shape: AttentionShape;
  flash: MethodResult;
  naive: MethodResult;
  variants: Record<string, MethodResult>;
  /** naive median / flash median */
  speedup?: number;
  goal?: number;
}

export interface BenchReport {
  machine?: string;
  adapter: AdapterSummary;
  adapterName: string;
  softwareAdapter: boolean;
  /** Whether the adapter offers shader-f16 (there is no f16 kernel to run; results before it was removed say hasF16). */
  adapterHasF16: boolean;
  limits: Record<string, number>;
  date: string;
  node: string;
  timing: { trials: number; targetMs: number; maxReps: number };
  sizes: SizeResult[];
  naiveOutOfMemory: { n: number; scoresBytes: number; naive: string; fits: boolean; flash?: MethodResult }[];
  backwardCheck: { shape: AttentionShape; dq: number; dk: number; dv: number };
}

const mib = (b: number) => `${(b / 2 ** 20).toFixed(2)} MiB`;
const ms = (r: MethodResult | undefined) => (!r ? "-" : "medianMs" in r ? r.medianMs.toFixed(3) : "out of memory");
const gf = (r: MethodResult | undefined) => (!r ? "-" : "medianMs" in r ? r.gflops.toPrecision(3) : "-");
const mem = (r: MethodResult | undefined) => (!r ? "-" : "medianMs" in r ? mib(r.bytesAllocated) : "-");

export function markdownReport(r: BenchReport): string {
  const lines: string[] = [];
  lines.push(`# Attention benchmark: flash vs naive`);
  lines.push("");
  lines.push(`Adapter: **${r.adapterName}**${r.machine ? ` — machine: ${r.machine}` : ""}${r.softwareAdapter ? " — SOFTWARE ADAPTER (CPU emulation): these ratios say nothing about a real GPU" : ""}`);
  lines.push(`Date ${r.date}, Node ${r.node}, adapter shader-f16: ${r.adapterHasF16}, maxComputeWorkgroupStorageSize ${r.limits.maxComputeWorkgroupStorageSize} B.`);
  lines.push(`Batch 1, ${r.sizes[0]?.shape.heads ?? "-"} heads, d = ${r.sizes[0]?.shape.d ?? "-"}, f32. ${r.timing.trials > 0 ? `Median of ${r.timing.trials} trials` : "One run per method (the checked run, timed from submit to queue idle)"}; GFLOP/s counts 4 N^2 d per head. Memory: bytes of GPU buffers allocated by the method (inputs, output, scratch).`);
  lines.push("");
  lines.push("| N | flash ms | naive ms | speedup (goal) | flash GFLOP/s | naive GFLOP/s | flash memory | naive memory |");
  lines.push("|---|---|---|---|---|---|---|---|");
  for (const s of r.sizes) {
    const goal = s.goal ? ` (${s.goal}x${r.softwareAdapter ? ", real-GPU goal" : ""})` : "";
    lines.push(
      `| ${s.n} | ${ms(s.flash)} | ${ms(s.naive)} | ${s.speedup ? `${s.speedup.toFixed(2)}x` : "-"}${goal} | ${gf(s.flash)} | ${gf(s.naive)} | ${mem(s.flash)} | ${mem(s.naive)} |`,
    );
  }
  const variantKeys = [...new Set(r.sizes.flatMap((s) => Object.keys(s.variants)))];
  if (variantKeys.length > 0) {
    lines.push("");
    lines.push("Flash tile variants (br query rows per workgroup x bc key rows per tile x t invocations per row), ms:");
    lines.push("");
    lines.push(`| N | default | ${variantKeys.join(" | ")} |`);
    lines.push(`|---|---|${variantKeys.map(() => "---").join("|")}|`);
    for (const s of r.sizes) {
      const def = "tiles" in s.flash && s.flash.tiles ? ` (${s.flash.tiles.br}x${s.flash.tiles.bc}x${s.flash.tiles.t ?? 1})` : "";
      lines.push(`| ${s.n} | ${ms(s.flash)}${def} | ${variantKeys.map((k) => ms(s.variants[k])).join(" | ")} |`);
    }
  }
  lines.push("");
  if (r.naiveOutOfMemory.length > 0) {
    lines.push("Where naive runs out of memory (flash needs only O(N) memory):");
    lines.push("");
    for (const o of r.naiveOutOfMemory) {
      const flash = o.flash ? `; flash runs: ${ms(o.flash)} ms, ${gf(o.flash)} GFLOP/s, ${mem(o.flash)}` : "";
      lines.push(`- N=${o.n}: score matrix ${mib(o.scoresBytes)}: ${o.naive}${flash}`);
    }
  } else {
    lines.push("Naive out-of-memory probe: not run on this adapter (too slow); the score matrix is 4 B x heads x N^2.");
  }
  lines.push("");
  const bc = r.backwardCheck;
  lines.push(
    `Backward (recomputation) on this adapter, N=${bc.shape.n}, ${bc.shape.heads} heads: relative error vs float64 dq ${bc.dq.toExponential(2)}, dk ${bc.dk.toExponential(2)}, dv ${bc.dv.toExponential(2)}.`,
  );
  lines.push("");
  return lines.join("\n");
}
