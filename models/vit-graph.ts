// The ViT-Ti/16 forward as an ONNX graph (opset 17). Initializers keep timm names and PyTorch layout so our WebGPU
// engine can read the same tensors by name; the transposes MatMul needs are Transpose nodes that onnxruntime folds
// at load time. Outputs: logits [B,C] (raw head), probs [B,C] = softmax(logits / temperature), features [B,D]
// (final LayerNorm, class token), cls_attention [B,H,N] (last block, class-token query row), cls_rollout [B,N]
// (attention rollout over all blocks, see rollout-graph.ts).
import { GraphBuilder, tensorInfo } from "./onnx-builder.ts";
import { TensorDataType } from "../lib/vit/onnx/proto.ts";
import { addRolloutOutput, ROLLOUT_OUTPUT } from "./rollout-graph.ts";
import type { VitWeights } from "../lib/vit/weights.ts";
import type { ModelMeta } from "../lib/vit/model-meta.ts";

export const OUTPUT_NAMES = ["logits", "probs", "features", "cls_attention", ROLLOUT_OUTPUT] as const;
export const INPUT_NAME = "pixel_values";

/** Tensors at least this large are stored in half precision when asked (matrices; norms and biases stay float32). */
const HALF_MIN = 4096;

export function buildVitGraph(w: VitWeights, meta: ModelMeta, opts: { blockInputOf?: number; halfWeights?: boolean } = {}): Record<string, unknown> {
  const g = new GraphBuilder();
  const { embedDim: D, numHeads: H, patchSize: P, imageSize: S, depth } = meta;
  const hd = D / H;
  const grid = S / P;
  const N = grid * grid + 1;
  const C = w.head.bias.length;
  const eps = { float: meta.layerNormEps };

  const init = (name: string, dims: number[], data: Float32Array) =>
    opts.halfWeights && data.length >= HALF_MIN ? g.one("Cast", [g.halfInit(name, dims, data)], { to: TensorDataType.FLOAT }, `${name}_f32`) : g.floatInit(name, dims, data);
  const linear = (x: string, prefix: string, weight: Float32Array, bias: Float32Array, out: number, inp: number) => {
    const wT = g.one("Transpose", [init(prefix + ".weight", [out, inp], weight)], { perm: [1, 0] }, prefix + "_wT");
    return g.one("Add", [g.one("MatMul", [x, wT]), init(prefix + ".bias", [out], bias)], {}, prefix);
  };
  const layerNorm = (x: string, prefix: string, p: { weight: Float32Array; bias: Float32Array }) =>
    g.one("LayerNormalization", [x, init(prefix + ".weight", [D], p.weight), init(prefix + ".bias", [D], p.bias)], { axis: -1, epsilon: eps }, prefix);

  // Patch embedding: Conv 16x16 stride 16 -> [B, D, g, g] -> [B, g*g, D].
  const conv = g.one("Conv", [INPUT_NAME, init("patch_embed.proj.weight", [D, 3, P, P], w.patchWeight), init("patch_embed.proj.bias", [D], w.patchBias)], {
    kernel_shape: [P, P],
    strides: [P, P],
  });
  const flat = g.one("Reshape", [conv, g.int64Init("shape_b_d_n", [0, D, -1])]);
  const patches = g.one("Transpose", [flat], { perm: [0, 2, 1] });
  // Class token broadcast to the batch, then position embedding.
  const batch = g.one("Shape", [INPUT_NAME], { start: 0, end: 1 });
  const clsShape = g.one("Concat", [batch, g.int64Init("one_d", [1, D])], { axis: 0 });
  const cls = g.one("Expand", [init("cls_token", [1, 1, D], w.clsToken), clsShape]);
  const tokens = g.one("Concat", [cls, patches], { axis: 1 });
  let x = g.one("Add", [tokens, init("pos_embed", [1, N, D], w.posEmbed)], {}, "embed");

  const qkvShape = g.int64Init("shape_qkv", [0, 0, 3, H, hd]);
  const mergeShape = g.int64Init("shape_merge", [0, 0, D]);
  const scale = init("attn_scale", [], new Float32Array([1 / Math.sqrt(hd)]));
  const half = init("const_half", [], new Float32Array([0.5]));
  const one = init("const_one", [], new Float32Array([1]));
  const invSqrt2 = init("const_inv_sqrt2", [], new Float32Array([Math.SQRT1_2]));
  const idx0 = g.int64Init("index_0", [0]);
  const qkvIndex = [0, 1, 2].map((i) => g.int64Init(`qkv_index_${i}`, i));
  const attns: string[] = [];
  const extra: Record<string, unknown>[] = [];
  for (let i = 0; i < depth; i++) {
    if (opts.blockInputOf === i) {
      g.nodeNamed("Identity", [x], ["block_input"]);
      extra.push(tensorInfo("block_input", ["batch", N, D]));
    }
    const b = w.blocks[i]!;
    const p = `blocks.${i}`;
    const h1 = layerNorm(x, `${p}.norm1`, b.norm1);
    const qkv = linear(h1, `${p}.attn.qkv`, b.qkv.weight, b.qkv.bias, 3 * D, D);
    const qkv5 = g.one("Transpose", [g.one("Reshape", [qkv, qkvShape])], { perm: [2, 0, 3, 1, 4] }); // [3,B,H,N,hd]
    const [q, k, v] = qkvIndex.map((ix) => g.one("Gather", [qkv5, ix], { axis: 0 })) as [string, string, string];
    const kT = g.one("Transpose", [k], { perm: [0, 1, 3, 2] });
    const scores = g.one("Mul", [g.one("MatMul", [q, kT]), scale]);
    const attn = g.one("Softmax", [scores], { axis: -1 }, `${p}_attn`); // [B,H,N,N]
    attns.push(attn);
    const ctx = g.one("Reshape", [g.one("Transpose", [g.one("MatMul", [attn, v])], { perm: [0, 2, 1, 3] }), mergeShape]);
    x = g.one("Add", [x, linear(ctx, `${p}.attn.proj`, b.proj.weight, b.proj.bias, D, D)], {}, `${p}_res1`);
    const h2 = layerNorm(x, `${p}.norm2`, b.norm2);
    const f1 = linear(h2, `${p}.mlp.fc1`, b.fc1.weight, b.fc1.bias, meta.mlpDim, D);
    // Exact GELU: 0.5 x (1 + erf(x / sqrt 2)); onnxruntime fuses this pattern into its Gelu kernel.
    const erf = g.one("Erf", [g.one("Mul", [f1, invSqrt2])]);
    const gelu = g.one("Mul", [g.one("Mul", [f1, half]), g.one("Add", [erf, one])]);
    x = g.one("Add", [x, linear(gelu, `${p}.mlp.fc2`, b.fc2.weight, b.fc2.bias, D, meta.mlpDim)], {}, `${p}_res2`);
  }
  const normed = layerNorm(x, "norm", w.norm);
  const clsIdx = g.int64Init("cls_index", [0]);
  g.nodeNamed("Squeeze", [g.one("Gather", [normed, clsIdx], { axis: 1 }), g.int64Init("squeeze_axis1", [1])], ["features"]);
  g.nodeNamed("Gemm", ["features", init("head.weight", [C, D], w.head.weight), init("head.bias", [C], w.head.bias)], ["logits"], { transB: 1 });
  const temperature = init("temperature", [], new Float32Array([meta.temperature]));
  g.nodeNamed("Softmax", [g.one("Div", ["logits", temperature])], ["probs"], { axis: -1 });
  // Class-token query row of the last block's attention: [B,H,1,N] -> [B,H,N].
  const row = g.one("Gather", [attns[attns.length - 1]!, idx0], { axis: 2 });
  g.nodeNamed("Squeeze", [row, g.int64Init("squeeze_axis2", [2])], ["cls_attention"]);
  addRolloutOutput(g, attns, N);

  return {
    name: "vit",
    node: g.nodes,
    initializer: g.initializers,
    input: [tensorInfo(INPUT_NAME, ["batch", 3, S, S])],
    output: [
      tensorInfo("logits", ["batch", C]),
      tensorInfo("probs", ["batch", C]),
      tensorInfo("features", ["batch", D]),
      tensorInfo("cls_attention", ["batch", H, N]),
      tensorInfo(ROLLOUT_OUTPUT, ["batch", N]),
      ...extra,
    ],
  };
}
