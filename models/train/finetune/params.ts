// Between the backbone's timm tensors and the fine-tuned class-token path: the last block (minus W_k's bias and
// LayerNorm-1, which stay frozen), the final LayerNorm and the head.
import type { NamedTensor } from "../../safetensors.ts";
import type { BlockWeights } from "../../../lib/vit/weights.ts";
import type { BlockParams, Dims } from "./cls-block.ts";

export function paramsFromBackbone(b: BlockWeights, norm: { weight: Float32Array; bias: Float32Array }, head: { weight: Float32Array; bias: Float32Array }, d: Dims): BlockParams {
  const { D } = d;
  const rows = (from: number, n: number) => Float32Array.from(b.qkv.weight.subarray(from * D, (from + n) * D));
  return {
    wq: rows(0, D),
    bq: Float32Array.from(b.qkv.bias.subarray(0, D)),
    wk: rows(D, D),
    wv: rows(2 * D, D),
    bv: Float32Array.from(b.qkv.bias.subarray(2 * D, 3 * D)),
    wo: Float32Array.from(b.proj.weight),
    bo: Float32Array.from(b.proj.bias),
    g2: Float32Array.from(b.norm2.weight),
    b2: Float32Array.from(b.norm2.bias),
    w1: Float32Array.from(b.fc1.weight),
    c1: Float32Array.from(b.fc1.bias),
    w2: Float32Array.from(b.fc2.weight),
    c2: Float32Array.from(b.fc2.bias),
    gf: Float32Array.from(norm.weight),
    bf: Float32Array.from(norm.bias),
    wh: Float32Array.from(head.weight),
    bh: Float32Array.from(head.bias),
  };
}

/** The backbone tensors the fine-tuned parameters replace (timm names), for models/export-vit.ts `overrides`. */
export function overridesFromParams(p: BlockParams, original: BlockWeights, block: number, d: Dims): Map<string, NamedTensor> {
  const { D, M } = d;
  const qkvW = new Float32Array(3 * D * D);
  qkvW.set(p.wq, 0);
  qkvW.set(p.wk, D * D);
  qkvW.set(p.wv, 2 * D * D);
  const qkvB = Float32Array.from(original.qkv.bias); // the key bias is frozen (it cancels in the softmax)
  qkvB.set(p.bq, 0);
  qkvB.set(p.bv, 2 * D);
  const b = `blocks.${block}.`;
  return new Map<string, NamedTensor>([
    [b + "attn.qkv.weight", { shape: [3 * D, D], data: qkvW }],
    [b + "attn.qkv.bias", { shape: [3 * D], data: qkvB }],
    [b + "attn.proj.weight", { shape: [D, D], data: p.wo }],
    [b + "attn.proj.bias", { shape: [D], data: p.bo }],
    [b + "norm2.weight", { shape: [D], data: p.g2 }],
    [b + "norm2.bias", { shape: [D], data: p.b2 }],
    [b + "mlp.fc1.weight", { shape: [M, D], data: p.w1 }],
    [b + "mlp.fc1.bias", { shape: [M], data: p.c1 }],
    [b + "mlp.fc2.weight", { shape: [D, M], data: p.w2 }],
    [b + "mlp.fc2.bias", { shape: [D], data: p.c2 }],
    ["norm.weight", { shape: [D], data: p.gf }],
    ["norm.bias", { shape: [D], data: p.bf }],
  ]);
}
