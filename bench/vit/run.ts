// `npm run bench:vit`: in one headless Chromium, the same model and photo through our WebGPU engine, onnxruntime-web's
// WebGPU EP and onnxruntime-web wasm: first-run and median latency after warm-up, dispatches per image, GPU buffer
// bytes. Prints a table and writes bench/vit/results/<adapter>.json naming the adapter.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Command } from "commander";
import { runExport, DEFAULT_MODEL_ID } from "../../models/export-cli.ts";
import { callPage, launchVitBrowser, openVitPage, startVitServer } from "../../tests/vit/browser-harness.ts";
import { BACKEND_ORDER, type BackendName } from "../../lib/vit/classifier.ts";
import type { PageBench } from "../../tests/vit/browser/entry.ts";

const program = new Command()
  .name("bench:vit")
  .option("--warmup <n>", "warm-up runs per backend", "3")
  .option("--iters <n>", "timed runs per backend", "20")
  .option("--photo <file>", "sample photo", "n02127052_10040.JPEG")
  .option("--backends <list>", "comma-separated", BACKEND_ORDER.join(","))
  .option("--chromium-arg <arg...>", "extra Chromium flags (e.g. --enable-features=Vulkan on a GPU machine)")
  .option("--out <file>", "result JSON (default bench/vit/results/<adapter>.json)")
  .parse();
const o = program.opts<{ warmup: string; iters: string; photo: string; backends: string; chromiumArg?: string[]; out?: string }>();

const model = runExport({ modelId: DEFAULT_MODEL_ID }).out;
const server = await startVitServer(model);
const browser = await launchVitBrowser({ webgpu: true, extraArgs: o.chromiumArg });
const results: (PageBench | { backend: BackendName; error: string })[] = [];
let adapter = "unknown adapter";
try {
  for (const backend of o.backends.split(",") as BackendName[]) {
    const { page, errors } = await openVitPage(browser, server.url, { webgpu: true });
    try {
      const r = await callPage(page, "bench", backend, o.photo, Number(o.warmup), Number(o.iters));
      if (r.adapter) adapter = r.adapter;
      results.push(r);
    } catch (e) {
      results.push({ backend, error: `${(e as Error).message.split("\n")[0]} ${errors.join("; ")}` });
    }
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
}

const ok = results.filter((r): r is PageBench => "medianMs" in r);
const engine = ok.find((r) => r.backend === "webgpu-engine");
const fmt = (x: number | null | undefined, d = 1) => (x === null || x === undefined ? "-" : x.toFixed(d));
console.log(`\nViT-Ti/16 224px, batch 1, photo ${o.photo}; adapter: ${adapter}; Chromium ${browser.version()}`);
console.log("backend        | first ms | median ms | vs engine | dispatches | GPU MiB | load ms");
for (const r of results) {
  if (!("medianMs" in r)) {
    console.log(`${r.backend.padEnd(14)} | failed: ${r.error}`);
    continue;
  }
  const ratio = engine ? r.medianMs / engine.medianMs : null;
  console.log(
    [r.backend.padEnd(14), fmt(r.firstMs).padStart(8), fmt(r.medianMs).padStart(9), `${fmt(ratio, 2)}x`.padStart(9), String(r.dispatches).padStart(10), fmt(r.gpuBytesPeak === null ? null : r.gpuBytesPeak / 2 ** 20).padStart(7), fmt(r.loadMs, 0).padStart(7)].join(" | "),
  );
}
const slug = adapter.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
const out = o.out ?? path.join(import.meta.dirname, "results", `${slug}.json`);
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(
  out,
  JSON.stringify({ date: new Date().toISOString(), adapter, software: /software/.test(adapter), chromium: browser.version(), photo: o.photo, warmup: Number(o.warmup), iters: Number(o.iters), results }, null, 2) + "\n",
);
console.log(`wrote ${path.relative(process.cwd(), out)}`);
