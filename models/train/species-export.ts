// The shipped species model: small committed artifacts (manifest, head and fine-tuned weights in half precision)
// under models/shipped/<id>/, assembled at prepare time with the backbone from ../shared into one ONNX file whose
// SHA-256 must equal the manifest's, so every clone serves exactly the model the card describes.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { BACKBONE_FILE, exportVitOnnx } from "../export-vit.ts";
import type { NamedTensor } from "../safetensors.ts";
import { decodeHalf, encodeHalf } from "../../lib/vit/onnx/half.ts";
import { abstainThresholdProblem } from "../../lib/verdict/thresholds.ts";
import { readManifest, SHIPPED_DIR, type ShippedManifest, type TensorEntry } from "../../lib/identify/shipped-artifacts.ts";

export { readManifest, readShippedPrototypes, SHIPPED_DIR, type ShippedManifest } from "../../lib/identify/shipped-artifacts.ts";

const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

export type ShipInput = {
  modelId: string;
  variant: ShippedManifest["variant"];
  labels: string[];
  temperature: number;
  abstainThreshold: number;
  head: { weight: Float32Array; bias: Float32Array };
  overrides: ReadonlyMap<string, NamedTensor>;
  card: string;
  /** Serve the weights in half precision (default true); the float32 file is returned too, for the card's comparison. */
  halfWeights?: boolean;
  prototypes: { labels: string[]; counts: number[]; vectors: Float32Array; dim: number; temperature: number; alpha: number };
};

/** Half-precision copies of the tensors (what the shipped model holds), in a stable order. */
function packHalf(tensors: [string, NamedTensor][]): { bin: Uint8Array; entries: TensorEntry[] } {
  const total = tensors.reduce((n, [, t]) => n + t.data.length, 0);
  const half = new Uint16Array(total);
  const entries: TensorEntry[] = [];
  let at = 0;
  for (const [name, t] of tensors) {
    encodeHalf(t.data, half, at);
    entries.push({ name, shape: t.shape, offset: at });
    at += t.data.length;
  }
  return { bin: new Uint8Array(half.buffer), entries };
}

function unpackHalf(bin: Uint8Array, entries: ShippedManifest["weights"]["tensors"]): Map<string, NamedTensor> {
  const half = new Uint16Array(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength));
  const out = new Map<string, NamedTensor>();
  for (const e of entries) {
    const n = e.shape.reduce((a, b) => a * b, 1);
    if (e.offset + n > half.length) throw new Error(`shipped weights: ${e.name} runs past the end of the file`);
    const data = new Float32Array(n);
    decodeHalf(half, e.offset, n, data);
    out.set(e.name, { shape: e.shape, data });
  }
  return out;
}

function onnxFrom(backboneDir: string, m: Omit<ShippedManifest, "onnx" | "weights" | "createdAt" | "prototypes">, tensors: Map<string, NamedTensor>, halfWeights: boolean): Uint8Array {
  const head = { weight: tensors.get("head.weight")!.data, bias: tensors.get("head.bias")!.data, labels: m.labels };
  const overrides = new Map([...tensors].filter(([k]) => k !== "head.weight" && k !== "head.bias"));
  return exportVitOnnx({
    backboneDir,
    modelId: m.modelId,
    head,
    temperature: m.temperature,
    overrides,
    halfWeights,
    extraMetadata: {
      abstain_threshold: String(m.abstainThreshold),
      tta: m.variant.tta ? "mirror" : "none",
      training_run: `${m.variant.name}; card ${m.card}`,
    },
  });
}

/** Writes models/shipped/<id>/ and returns the assembled ONNX bytes (what the card's numbers are checked against). */
export function shipSpeciesModel(i: ShipInput, backboneDir: string, root = SHIPPED_DIR): { manifest: ShippedManifest; onnx: Uint8Array; onnxFloat32: Uint8Array } {
  const problem = abstainThresholdProblem(i.abstainThreshold);
  if (problem) throw new Error(`refusing to ship ${i.modelId}: ${problem}`);
  const tensors: [string, NamedTensor][] = [
    ["head.weight", { shape: [i.labels.length, i.head.weight.length / i.labels.length], data: i.head.weight }],
    ["head.bias", { shape: [i.labels.length], data: i.head.bias }],
    ...[...i.overrides].sort((a, b) => a[0].localeCompare(b[0])),
  ];
  const { bin, entries } = packHalf(tensors);
  const base = {
    modelId: i.modelId,
    backbone: { file: BACKBONE_FILE, sha256: sha(readFileSync(path.join(backboneDir, BACKBONE_FILE))) } as const,
    variant: i.variant,
    labels: i.labels,
    temperature: i.temperature,
    abstainThreshold: i.abstainThreshold,
    card: i.card,
  };
  const protoHalf = new Uint16Array(i.prototypes.vectors.length);
  encodeHalf(i.prototypes.vectors, protoHalf);
  const protoBin = new Uint8Array(protoHalf.buffer);
  const half = i.halfWeights ?? true;
  const onnx = onnxFrom(backboneDir, base, unpackHalf(bin, entries), half);
  const onnxFloat32 = half ? onnxFrom(backboneDir, base, unpackHalf(bin, entries), false) : onnx;
  const manifest: ShippedManifest = {
    ...base,
    createdAt: new Date().toISOString(),
    weights: { file: "weights.f16.bin", sha256: sha(bin), dtype: "float16", tensors: entries },
    onnx: { file: `${i.modelId}.onnx`, sha256: sha(onnx), bytes: onnx.length, halfWeights: half },
    prototypes: {
      file: "prototypes.f16.bin",
      sha256: sha(protoBin),
      labels: i.prototypes.labels,
      counts: i.prototypes.counts,
      dim: i.prototypes.dim,
      temperature: i.prototypes.temperature,
      alpha: i.prototypes.alpha,
    },
  };
  const dir = path.join(root, i.modelId);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, manifest.weights.file), bin);
  writeFileSync(path.join(dir, manifest.prototypes.file), protoBin);
  writeFileSync(path.join(dir, "manifest.json"), JSON.stringify(manifest, null, 1) + "\n");
  return { manifest, onnx, onnxFloat32 };
}

/**
 * Assembles the shipped model into outDir unless an identical file is there already. Throws when the backbone or
 * the committed weights differ from what the manifest was made from. A result whose SHA-256 differs from the
 * manifest's (the export graph changed since training, e.g. a new output) is reported, not refused: model:evaluate
 * is what checks that the served model still gives the card's numbers.
 */
export function assembleShipped(
  dir: string,
  backboneDir: string,
  outDir: string,
): { file: string; written: boolean; manifest: ShippedManifest; sameBytesAsTrained: boolean } {
  const m = readManifest(dir);
  const out = path.join(outDir, m.onnx.file);
  if (existsSync(out) && sha(readFileSync(out)) === m.onnx.sha256) return { file: out, written: false, manifest: m, sameBytesAsTrained: true };
  const backboneSha = sha(readFileSync(path.join(backboneDir, m.backbone.file)));
  if (backboneSha !== m.backbone.sha256) throw new Error(`${m.modelId}: the backbone in ${backboneDir} is not the one this model was trained on (sha256 ${backboneSha.slice(0, 12)}…, expected ${m.backbone.sha256.slice(0, 12)}…)`);
  const bin = readFileSync(path.join(dir, m.weights.file));
  if (sha(bin) !== m.weights.sha256) throw new Error(`${m.modelId}: ${m.weights.file} does not match its manifest (damaged or edited)`);
  const onnx = onnxFrom(backboneDir, m, unpackHalf(bin, m.weights.tensors), m.onnx.halfWeights);
  if (existsSync(out) && sha(readFileSync(out)) === sha(onnx)) return { file: out, written: false, manifest: m, sameBytesAsTrained: sha(onnx) === m.onnx.sha256 };
  mkdirSync(outDir, { recursive: true });
  const tmp = `${out}.tmp-${process.pid}`;
  writeFileSync(tmp, onnx);
  renameSync(tmp, out);
  return { file: out, written: true, manifest: m, sameBytesAsTrained: sha(onnx) === m.onnx.sha256 };
}

