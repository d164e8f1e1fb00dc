// ViT weights by timm name, PyTorch layout (Linear weight [out, in]); loaded strictly: every expected tensor present
// with its exact shape, unused keys reported.
export type Tensor = { shape: number[]; data: Float32Array };

export type VitDims = { patchSize: number; embedDim: number; depth: number; numHeads: number; mlpDim: number; numClasses: number; numTokens: number };

export type BlockWeights = {
  norm1: { weight: Float32Array; bias: Float32Array };
  qkv: { weight: Float32Array; bias: Float32Array }; // [3D, D], [3D]
  proj: { weight: Float32Array; bias: Float32Array }; // [D, D]
  norm2: { weight: Float32Array; bias: Float32Array };
  fc1: { weight: Float32Array; bias: Float32Array }; // [M, D]
  fc2: { weight: Float32Array; bias: Float32Array }; // [D, M]
};

export type VitWeights = {
  patchWeight: Float32Array; // [D, 3, P, P]
  patchBias: Float32Array; // [D]
  clsToken: Float32Array; // [D]
  posEmbed: Float32Array; // [N, D]
  blocks: BlockWeights[];
  norm: { weight: Float32Array; bias: Float32Array };
  head: { weight: Float32Array; bias: Float32Array }; // [C, D], [C]
};

/** Every tensor name with its expected shape. */
export function expectedShapes(d: VitDims): Map<string, number[]> {
  const { patchSize: P, embedDim: D, mlpDim: M, numClasses: C, numTokens: N } = d;
  const m = new Map<string, number[]>([
    ["patch_embed.proj.weight", [D, 3, P, P]],
    ["patch_embed.proj.bias", [D]],
    ["cls_token", [1, 1, D]],
    ["pos_embed", [1, N, D]],
    ["norm.weight", [D]],
    ["norm.bias", [D]],
    ["head.weight", [C, D]],
    ["head.bias", [C]],
  ]);
  for (let i = 0; i < d.depth; i++) {
    const b = `blocks.${i}.`;
    m.set(b + "norm1.weight", [D]).set(b + "norm1.bias", [D]);
    m.set(b + "attn.qkv.weight", [3 * D, D]).set(b + "attn.qkv.bias", [3 * D]);
    m.set(b + "attn.proj.weight", [D, D]).set(b + "attn.proj.bias", [D]);
    m.set(b + "norm2.weight", [D]).set(b + "norm2.bias", [D]);
    m.set(b + "mlp.fc1.weight", [M, D]).set(b + "mlp.fc1.bias", [M]);
    m.set(b + "mlp.fc2.weight", [D, M]).set(b + "mlp.fc2.bias", [D]);
  }
  return m;
}

export type LoadReport = { unused: string[] };

/** Strict load: throws naming the key and both shapes; returns the keys it did not use. */
export function loadVitWeights(tensors: Map<string, Tensor>, d: VitDims): { weights: VitWeights; report: LoadReport } {
  const shapes = expectedShapes(d);
  const get = (name: string): Float32Array => {
    const want = shapes.get(name);
    const t = tensors.get(name);
    if (!want) throw new Error(`internal: no expected shape for ${name}`);
    if (!t) throw new Error(`weight ${name} missing (expected shape [${want}])`);
    if (t.shape.length !== want.length || t.shape.some((s, i) => s !== want[i])) {
      throw new Error(`weight ${name}: shape [${t.shape}] but the model needs [${want}]`);
    }
    return t.data;
  };
  const pair = (p: string) => ({ weight: get(p + ".weight"), bias: get(p + ".bias") });
  const weights: VitWeights = {
    patchWeight: get("patch_embed.proj.weight"),
    patchBias: get("patch_embed.proj.bias"),
    clsToken: get("cls_token"),
    posEmbed: get("pos_embed"),
    blocks: Array.from({ length: d.depth }, (_, i) => ({
      norm1: pair(`blocks.${i}.norm1`),
      qkv: pair(`blocks.${i}.attn.qkv`),
      proj: pair(`blocks.${i}.attn.proj`),
      norm2: pair(`blocks.${i}.norm2`),
      fc1: pair(`blocks.${i}.mlp.fc1`),
      fc2: pair(`blocks.${i}.mlp.fc2`),
    })),
    norm: pair("norm"),
    head: pair("head"),
  };
  const unused = [...tensors.keys()].filter((k) => !shapes.has(k));
  return { weights, report: { unused } };
}
