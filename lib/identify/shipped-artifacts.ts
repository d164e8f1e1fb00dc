// What model:train ships under models/shipped/<id>/ (manifest, half-precision head and prototype weights), as the
// site reads it: the manifest's schema and the prototype head. Writing and assembling live in models/train.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { decodeHalf } from "../vit/onnx/half.ts";
import type { PrototypeSet } from "./prototypes";

const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
const BACKBONE_FILE = "vit_tiny_patch16_224.augreg_in21k_ft_in1k.safetensors";

export const SHIPPED_DIR = "models/shipped";

export const tensorEntry = z.object({ name: z.string(), shape: z.array(z.number().int().positive()), offset: z.number().int().min(0) });
export const manifestSchema = z.object({
  modelId: z.string().regex(/^[a-z0-9-]+$/),
  createdAt: z.string(),
  backbone: z.object({ file: z.literal(BACKBONE_FILE), sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
  variant: z.object({ name: z.string(), tta: z.boolean(), fineTunedBlock: z.number().int().nullable() }),
  labels: z.array(z.string().min(1)).min(2),
  temperature: z.number().positive(),
  abstainThreshold: z.number(),
  weights: z.object({ file: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/), dtype: z.literal("float16"), tensors: z.array(tensorEntry) }),
  onnx: z.object({
    file: z.string().regex(/^[\w.-]+\.onnx$/),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    bytes: z.number().int().positive(),
    /** Weight matrices stored in half precision in the served file (expanded to float32 at load). */
    halfWeights: z.boolean(),
  }),
  card: z.string(),
  /** Prototype head shipped beside the linear head (means of the served model's training features). */
  prototypes: z.object({
    file: z.string(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    labels: z.array(z.string()),
    /** Training photos behind each mean: an approval adds to it with the right weight. */
    counts: z.array(z.number().int().min(0)),
    dim: z.number().int().positive(),
    temperature: z.number().positive(),
    alpha: z.number().min(0).max(1),
  }),
});
export type ShippedManifest = z.infer<typeof manifestSchema>;

export type TensorEntry = z.infer<typeof tensorEntry>;

export function readManifest(dir: string): ShippedManifest {
  return manifestSchema.parse(JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8")));
}

/** The shipped prototype head of a model dir, checked against its manifest. */
export function readShippedPrototypes(dir: string): { set: PrototypeSet; counts: number[] } {
  const m = readManifest(dir);
  const p = m.prototypes;
  const bin = readFileSync(path.join(dir, p.file));
  if (sha(bin) !== p.sha256) throw new Error(`${m.modelId}: ${p.file} does not match its manifest (damaged or edited)`);
  const half = new Uint16Array(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength));
  if (half.length !== p.labels.length * p.dim) throw new Error(`${m.modelId}: ${p.file} holds ${half.length} values, expected ${p.labels.length} x ${p.dim}`);
  const taxa = p.labels.map((name, k) => {
    const vector = new Float32Array(p.dim);
    decodeHalf(half, k * p.dim, p.dim, vector);
    return { name, vector };
  });
  return { set: { dim: p.dim, temperature: p.temperature, alpha: p.alpha, taxa }, counts: p.counts };
}
