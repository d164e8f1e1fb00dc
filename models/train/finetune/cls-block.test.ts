// The class-token path of the last block: analytic gradients against central finite differences (float64), the
// float32 training copy against the float64 reference, and the forward against the full exported ONNX graph.
import path from "node:path";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { settings } from "../../../lib/settings";
import { loadVitWeights } from "../../../lib/vit/weights.ts";
import { preprocessImageFile } from "../../../lib/vit/preprocess-node.ts";
import { BACKBONE_FILE, backboneMeta, exportVitOnnx } from "../../export-vit.ts";
import { readSafetensors } from "../../safetensors.ts";
import { seededRandom } from "../rng.ts";
import { backward, forward, PARAM_NAMES, paramShapes, Workspace, zerosLike, type BlockParams, type Dims } from "./cls-block.ts";
import { layerNorm } from "./math.ts";
import { paramsFromBackbone } from "./params.ts";

const relErr = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let num = 0, den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i]! - b[i]!) ** 2;
    den += b[i]! ** 2;
  }
  return Math.sqrt(num / Math.max(den, 1e-30));
};

function randomParams(d: Dims, r: () => number): BlockParams<Float64Array> {
  const shapes = paramShapes(d);
  const out = {} as Record<string, Float64Array>;
  for (const k of PARAM_NAMES) {
    const n = shapes[k].reduce((a, b) => a * b, 1);
    out[k] = Float64Array.from({ length: n }, () => (k === "g2" || k === "gf" ? 1 + 0.3 * (r() - 0.5) : 0.6 * (r() - 0.5)));
  }
  return out as BlockParams<Float64Array>;
}

/** A scalar loss of the logits with a fixed random direction, so every parameter gets a gradient. */
function lossOf(p: BlockParams<Float64Array>, h: Float64Array, x: Float64Array, dir: Float64Array, ws: Workspace<Float64Array>): number {
  forward(p, h, x, ws);
  let s = 0;
  for (let c = 0; c < dir.length; c++) s += dir[c]! * Math.tanh(ws.logits[c]!);
  return s;
}

describe("class-token path of the last block", () => {
  it.each([
    { N: 17, D: 12, H: 3, M: 20, C: 5 },
    { N: 1, D: 8, H: 2, M: 6, C: 3 },
    { N: 33, D: 6, H: 1, M: 9, C: 7 },
  ])("gradients match central differences (N=$N D=$D H=$H M=$M C=$C)", ({ N, D, H, M, C }) => {
    const d: Dims = { N, D, H, M, C, eps: 1e-6 };
    const r = seededRandom(N * 1000 + D);
    const p = randomParams(d, r);
    const h = Float64Array.from({ length: N * D }, () => 2 * (r() - 0.5));
    const x = Float64Array.from({ length: D }, () => 2 * (r() - 0.5));
    const dir = Float64Array.from({ length: C }, () => r() - 0.5);
    const ws = new Workspace(d, (n) => new Float64Array(n));
    lossOf(p, h, x, dir, ws);
    const dlogits = Float64Array.from(ws.logits, (z, c) => dir[c]! * (1 - Math.tanh(z) ** 2));
    const grad = zerosLike(p);
    backward(p, grad, h, dlogits, ws);
    const eps = 1e-6;
    for (const k of PARAM_NAMES) {
      const num = new Float64Array(p[k].length);
      for (let i = 0; i < p[k].length; i++) {
        const keep = p[k][i]!;
        p[k][i] = keep + eps;
        const up = lossOf(p, h, x, dir, ws);
        p[k][i] = keep - eps;
        const down = lossOf(p, h, x, dir, ws);
        p[k][i] = keep;
        num[i] = (up - down) / (2 * eps);
      }
      expect(relErr(grad[k], num), k).toBeLessThan(1e-6);
    }
  });

  it("float32 forward and backward agree with the float64 reference at N=197, D=192", () => {
    const d: Dims = { N: 197, D: 192, H: 3, M: 768, C: 11, eps: 1e-6 };
    const r = seededRandom(7);
    const p64 = randomParams(d, () => 0.5 + 0.1 * (r() - 0.5));
    for (const k of PARAM_NAMES) if (k !== "g2" && k !== "gf") for (let i = 0; i < p64[k].length; i++) p64[k][i] = 0.2 * (r() - 0.5);
    const p32 = Object.fromEntries(PARAM_NAMES.map((k) => [k, Float32Array.from(p64[k])])) as unknown as BlockParams;
    const h = Float64Array.from({ length: d.N * d.D }, () => 2 * (r() - 0.5));
    const x = Float64Array.from({ length: d.D }, () => 2 * (r() - 0.5));
    const w64 = new Workspace(d, (n) => new Float64Array(n));
    const w32 = new Workspace(d, (n) => new Float32Array(n));
    w32.logits.fill(NaN); // poisoned: the forward must write every output
    forward(p64, h, x, w64);
    forward(p32, Float32Array.from(h), Float32Array.from(x), w32);
    expect(relErr(w32.logits, w64.logits)).toBeLessThan(1e-5);
    const dl = Float64Array.from({ length: d.C }, () => r() - 0.5);
    const g64 = zerosLike(p64);
    const g32 = zerosLike(p32);
    backward(p64, g64, h, dl, w64);
    backward(p32, g32, Float32Array.from(h), Float32Array.from(dl), w32);
    for (const k of PARAM_NAMES) expect(relErr(g32[k], g64[k]), k).toBeLessThan(1e-4);
  });

  it("computes the same logits as the full exported ONNX graph on a real photo", async () => {
    const dir = settings().backboneDir;
    const tensors = readSafetensors(path.join(dir, BACKBONE_FILE));
    const C = 6;
    const r = seededRandom(3);
    const head = { weight: Float32Array.from({ length: C * 192 }, () => 0.1 * (r() - 0.5)), bias: Float32Array.from({ length: C }, () => r() - 0.5) };
    const labels = Array.from({ length: C }, (_, i) => `Class ${i}`);
    const bytes = exportVitOnnx({ backboneDir: dir, modelId: "parity", head: { ...head, labels }, blockInputOf: 11 });
    const session = await ort.InferenceSession.create(bytes);
    const meta = backboneMeta(labels, "parity");
    const img = await preprocessImageFile(path.join(dir, "imagenet-samples", "n03062245_1030.JPEG"), meta);
    const out = await session.run({ pixel_values: new ort.Tensor("float32", img, [1, 3, 224, 224]) });
    const xs = out.block_input!.data as Float32Array; // [1, 197, 192]
    const { weights } = loadVitWeights(tensors, { ...meta, numClasses: 1000, numTokens: 197 });
    const b = weights.blocks[11]!;
    const d: Dims = { N: 197, D: 192, H: 3, M: 768, C, eps: 1e-6 };
    const h = new Float32Array(197 * 192);
    const tmp = new Float32Array(192);
    for (let j = 0; j < 197; j++) layerNorm(xs.subarray(j * 192, (j + 1) * 192), b.norm1.weight, b.norm1.bias, h.subarray(j * 192, (j + 1) * 192), tmp, 192, 1e-6);
    const ws = new Workspace(d, (n) => new Float32Array(n));
    forward(paramsFromBackbone(b, weights.norm, head, d), h, xs.subarray(0, 192), ws);
    expect(relErr(ws.logits, out.logits!.data as Float32Array)).toBeLessThan(1e-4);
    expect(relErr(ws.feat, out.features!.data as Float32Array)).toBeLessThan(1e-4);
    await session.release();
  });
});
