// `npm run bench:vit:size`: what the Identify page downloads and how soon it answers. For the shipped species model
// with half-precision weights (served) and the same model with float32 weights: file bytes, gzip bytes (what a
// compressing server sends), and the first result from bytes in hand (onnxruntime-web wasm session creation + first
// classification, as on a device without a usable GPU), median of 3 in fresh sessions. Prints a table and writes
// bench/vit/results/model-size.json.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { settings } from "../../lib/settings.ts";
import { readManifest, SHIPPED_DIR } from "../../models/train/species-export.ts";
import { exportVitOnnx } from "../../models/export-vit.ts";
import { decodeHalf } from "../../lib/vit/onnx/half.ts";
import { DEFAULT_ORT_DIST, loadOrtWeb } from "./ort-web-node.ts";

const dir = path.join(SHIPPED_DIR, "mushroom-species");
const m = readManifest(dir);
const served = new Uint8Array(readFileSync(path.resolve("public/models", m.onnx.file)));
// The same model with float32 weights in the file: rebuilt from the committed weights.
const half = new Uint16Array(new Uint8Array(readFileSync(path.join(dir, m.weights.file))).buffer);
const tensors = new Map(
  m.weights.tensors.map((t) => {
    const n = t.shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    decodeHalf(half, t.offset, n, data);
    return [t.name, { shape: t.shape, data }] as const;
  }),
);
const f32 = exportVitOnnx({
  backboneDir: settings().backboneDir,
  modelId: m.modelId,
  head: { weight: tensors.get("head.weight")!.data, bias: tensors.get("head.bias")!.data, labels: m.labels },
  temperature: m.temperature,
  overrides: new Map([...tensors].filter(([k]) => !k.startsWith("head."))),
});

const ort = await loadOrtWeb("wasm", DEFAULT_ORT_DIST, 1);
const S = 224;
const image = new Float32Array(3 * S * S).fill(0.1);
async function firstResult(bytes: Uint8Array): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const s = await ort.InferenceSession.create(bytes, { executionProviders: ["wasm"], graphOptimizationLevel: "all" });
    await s.run({ pixel_values: new ort.Tensor("float32", image, [1, 3, S, S]) });
    times.push(performance.now() - t);
    await s.release();
  }
  return times.sort((a, b) => a - b)[1]!;
}
const rows = [];
for (const [name, bytes] of [["served: half-precision weights", served], ["float32 weights", f32]] as const) {
  rows.push({ file: name, MiB: +(bytes.length / 2 ** 20).toFixed(2), gzipMiB: +(gzipSync(bytes, { level: 6 }).length / 2 ** 20).toFixed(2), firstResultMs: Math.round(await firstResult(bytes)) });
}
console.table(rows);
const out = path.join(import.meta.dirname, "results", "model-size.json");
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), host: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, loadAverage1m: os.loadavg()[0] }, backend: "onnxruntime-web wasm, 1 thread, in Node", rows }, null, 1) + "\n");
console.log(`wrote ${out}`);
