// Result rows and the printed table of bench/vit/node-compare.ts.
export type Timed = {
  firstMs: number;
  medianMs: number;
  /** Median GPU time of the forward pass from timestamp queries (our engine on adapters with timestamp-query). */
  gpuMedianMs: number | null;
  runsMs: number[];
  dispatches: number;
  maxLogitErr: number;
  mapRelErr: number | null;
};

export type Row = { backend: "ours (WebGPU engine)" | "onnxruntime-web WebGPU (Dawn)" | "onnxruntime-web wasm"; outputs: "classify" | "classify + map" } & (
  | ({ createMs: number } & Timed)
  | { error: string }
);

const f = (x: number | null | undefined, digits = 1) => (x === null || x === undefined ? "-" : x.toFixed(digits));

export function printTable(rows: Row[], adapter: string): void {
  const ours = new Map(rows.filter((r) => r.backend.startsWith("ours") && "medianMs" in r).map((r) => [r.outputs, r as Timed]));
  console.log(`\nViT-Ti/16 224 px, batch 1, one Node process; adapter: ${adapter}`);
  console.log("backend                        | outputs        | create ms | first ms | median ms | GPU ms | other ms | vs ours | dispatches");
  for (const r of rows) {
    const head = `${r.backend.padEnd(30)} | ${r.outputs.padEnd(14)}`;
    if (!("medianMs" in r)) {
      console.log(`${head} | failed: ${r.error}`);
      continue;
    }
    const base = ours.get(r.outputs);
    const other = r.gpuMedianMs === null ? null : r.medianMs - r.gpuMedianMs;
    console.log(
      [head, f(r.createMs, 0).padStart(9), f(r.firstMs).padStart(8), f(r.medianMs, 2).padStart(9), f(r.gpuMedianMs, 2).padStart(6), f(other, 2).padStart(8), `${f(base ? r.medianMs / base.medianMs : null, 2)}x`.padStart(7), String(r.dispatches).padStart(10)].join(" | "),
    );
  }
}
