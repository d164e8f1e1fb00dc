// The WebGPU ViT engine: weights uploaded once from the ONNX file's initializers, the forward recorded once per batch
// size (bind groups included) and replayed as one compute pass in one command buffer per call. Per block: LayerNorm
// folded into the qkv matmul, lib/attention's FlashAttention reading q/k/v straight from the fused qkv buffer and
// writing heads back interleaved, projection + bias + residual, LayerNorm folded into fc1 + bias + GELU, fc2 + bias +
// residual: 5 dispatches per block. With `rollout`, each block keeps its qkv and logsumexp and the attention-rollout
// map is computed after the forward pass (rollout.ts, 3 dispatches per block).
import type { GpuContext } from "../gpu/device.ts";
import { encodeFlashForward } from "../attention/index.ts";
import { encodeClsAttention, encodeLayerNorm, encodeMatmul, encodeSoftmax } from "./kernels/encode.ts";
import { recordingEncoder, replay, type RecordedDispatch } from "./recorder.ts";
import { PassTimer, TIMER_BYTES } from "./pass-timer.ts";
import { createRolloutBuffers, encodeRollout, normaliseRows, rolloutBuffersList, rolloutOut, type RolloutBuffers, type RolloutShape } from "./rollout.ts";
import { vitForwardRef } from "./reference.ts";
import type { VitModel } from "./model.ts";
import type { ModelMeta } from "./model-meta.ts";

export type EngineOptions = {
  /** Largest batch one run() takes (activation buffers are sized for it). Default 1. */
  maxBatch?: number;
  /** Class-token attention rows are returned for this many last blocks (0 = none). Default 1. */
  attentionLayers?: number;
  /** Compute the attention-rollout map (EngineOutput.rollout). Default false. */
  rollout?: boolean;
  /** Measure the GPU time of each run (EngineOutput.gpuMs); needs a context with timestamp-query. Default false. */
  gpuTiming?: boolean;
};

export type EngineOutput = {
  logits: Float32Array; // [B, C]
  probs: Float32Array; // [B, C], softmax(logits / temperature)
  features: Float32Array; // [B, D]
  /** [L, B, H, N]: class-token attention weights of the last L blocks (oldest first); null when L = 0. */
  clsAttention: Float32Array | null;
  /** [B, N]: attention rollout of the class token over all blocks, each row summing to 1; null without `rollout`. */
  rollout: Float32Array | null;
  /** GPU time of the forward pass (first to last dispatch, from timestamp queries); null without `gpuTiming`. */
  gpuMs: number | null;
};

type Linear = { weight: GPUBuffer; bias: GPUBuffer };
type Norm = { weight: GPUBuffer; bias: GPUBuffer };
type GpuBlock = { norm1: Norm; qkv: Linear; proj: Linear; norm2: Norm; fc1: Linear; fc2: Linear };

const STAGING = 1 | 8; // GPUBufferUsage.MAP_READ | COPY_DST, as literals: this module must not need WebGPU globals at import

export class VitEngine {
  readonly meta: ModelMeta;
  readonly inputSize: number;
  readonly tokens: number;
  readonly maxBatch: number;
  readonly attentionLayers: number;
  /** Bytes of weights and activations this engine holds on the GPU. */
  readonly weightBytes: number;
  readonly activationBytes: number;
  private readonly recorded = new Map<number, RecordedDispatch[]>();
  private queue: Promise<unknown> = Promise.resolve();
  private destroyed = false;

  private constructor(
    private readonly ctx: GpuContext,
    private readonly model: VitModel,
    private readonly w: { patch: Linear; cls: GPUBuffer; pos: GPUBuffer; blocks: GpuBlock[]; norm: Norm; head: Linear },
    private readonly a: Record<"image" | "x" | "qkv" | "ctx" | "hidden" | "features" | "logits" | "probs" | "attn", GPUBuffer>,
    private readonly staging: GPUBuffer,
    private readonly roll: RolloutBuffers | null,
    private readonly timer: PassTimer | null,
    opts: Required<EngineOptions>,
    bytes: { weights: number; activations: number },
  ) {
    this.meta = model.meta;
    this.inputSize = model.inputSize;
    this.tokens = (model.inputSize / model.meta.patchSize) ** 2 + 1;
    this.maxBatch = opts.maxBatch;
    this.attentionLayers = opts.attentionLayers;
    this.weightBytes = bytes.weights;
    this.activationBytes = bytes.activations;
  }

  static async create(ctx: GpuContext, model: VitModel, opts: EngineOptions = {}): Promise<VitEngine> {
    const o: Required<EngineOptions> = { maxBatch: opts.maxBatch ?? 1, attentionLayers: opts.attentionLayers ?? 1, rollout: opts.rollout ?? false, gpuTiming: opts.gpuTiming ?? false };
    const m = model.meta;
    if (!Number.isInteger(o.maxBatch) || o.maxBatch < 1) throw new Error(`VitEngine: maxBatch ${o.maxBatch} must be >= 1`);
    if (!Number.isInteger(o.attentionLayers) || o.attentionLayers < 0 || o.attentionLayers > m.depth) {
      throw new Error(`VitEngine: attentionLayers ${o.attentionLayers} must be 0..${m.depth}`);
    }
    const before = ctx.alloc.bytesLive;
    const up = (data: Float32Array, label: string) => ctx.alloc.upload(data, label);
    const pair = (p: { weight: Float32Array; bias: Float32Array }, label: string) => ({ weight: up(p.weight, `${label}.weight`), bias: up(p.bias, `${label}.bias`) });
    const wt = model.weights;
    const w = {
      patch: { weight: up(wt.patchWeight, "patch_embed.proj.weight"), bias: up(wt.patchBias, "patch_embed.proj.bias") },
      cls: up(wt.clsToken, "cls_token"),
      pos: up(wt.posEmbed, "pos_embed"),
      blocks: wt.blocks.map((b, i) => ({
        norm1: pair(b.norm1, `blocks.${i}.norm1`),
        qkv: pair(b.qkv, `blocks.${i}.attn.qkv`),
        proj: pair(b.proj, `blocks.${i}.attn.proj`),
        norm2: pair(b.norm2, `blocks.${i}.norm2`),
        fc1: pair(b.fc1, `blocks.${i}.mlp.fc1`),
        fc2: pair(b.fc2, `blocks.${i}.mlp.fc2`),
      })),
      norm: pair(wt.norm, "norm"),
      head: pair(wt.head, "head"),
    };
    const weights = ctx.alloc.bytesLive - before;
    const B = o.maxBatch;
    const N = (model.inputSize / m.patchSize) ** 2 + 1;
    const C = m.labels.length;
    const D = m.embedDim;
    const st = (floats: number, label: string) => ctx.alloc.storage(Math.max(1, floats) * 4, label);
    const a = {
      image: st(B * 3 * model.inputSize * model.inputSize, "vit image"),
      x: st(B * N * D, "vit residual stream"),
      qkv: st(B * N * 3 * D, "vit qkv"),
      ctx: st(B * N * D, "vit attention output"),
      hidden: st(B * N * m.mlpDim, "vit mlp hidden"),
      features: st(B * D, "vit features"),
      logits: st(B * C, "vit logits"),
      probs: st(B * C, "vit probs"),
      attn: st(o.attentionLayers * B * m.numHeads * N, "vit cls attention"),
    };
    const roll = o.rollout ? createRolloutBuffers(ctx, { batch: B, heads: m.numHeads, n: N, hd: D / m.numHeads, depth: m.depth }) : null;
    const activations = ctx.alloc.bytesLive - before - weights;
    const stagingFloats = 2 * B * C + B * D + o.attentionLayers * B * m.numHeads * N + (roll ? B * N : 0);
    const timer = o.gpuTiming ? PassTimer.create(ctx, "vit forward") : null;
    const staging = ctx.device.createBuffer({ size: stagingFloats * 4 + (timer ? TIMER_BYTES : 0), usage: STAGING, label: "vit read-back" });
    const engine = new VitEngine(ctx, model, w, a, staging, roll, timer, o, { weights, activations });
    await engine.record(1);
    return engine;
  }

  /** Dispatches one run() of this batch size records (recording it if needed). */
  async dispatches(batch = 1): Promise<number> {
    return (await this.record(batch)).length;
  }

  private async record(B: number): Promise<RecordedDispatch[]> {
    const have = this.recorded.get(B);
    if (have) return have;
    const { ctx, w, a, meta: m } = this;
    const N = this.tokens;
    const D = m.embedDim;
    const H = m.numHeads;
    const hd = D / H;
    const M = B * N;
    const eps = m.layerNormEps;
    const list: RecordedDispatch[] = [];
    const enc = recordingEncoder(list);
    const P = m.patchSize;
    await encodeMatmul(ctx, enc, "patch", "patch_embed", { m: M, n: D, k: 3 * P * P }, { tokens: N, imageSize: this.inputSize, patchSize: P }, { A: a.image, W: w.patch.weight, Bias: w.patch.bias, Cls: w.cls, Pos: w.pos, Y: a.x });
    const firstAttn = m.depth - this.attentionLayers;
    const roll = this.roll;
    for (const [i, b] of w.blocks.entries()) {
      const qkv = roll ? roll.qkv[i]! : a.qkv;
      await encodeMatmul(ctx, enc, "layernorm", "bias", { m: M, n: 3 * D, k: D }, { eps }, { A: a.x, G: b.norm1.weight, Beta: b.norm1.bias, W: b.qkv.weight, Bias: b.qkv.bias, Y: qkv });
      // qkv rows are [3, H, hd]: q/k/v are strided views; o is written straight into [B, N, H*hd] for the projection.
      const strides: [number, number, number] = [N * 3 * D, hd, 3 * D];
      await encodeFlashForward(ctx, enc, { batch: B, heads: H, n: N, d: hd }, {
        q: { buffer: qkv, offset: 0, strides },
        k: { buffer: qkv, offset: D, strides },
        v: { buffer: qkv, offset: 2 * D, strides },
        o: { buffer: a.ctx, offset: 0, strides: [N * D, hd, D] },
        lse: roll?.lse[i],
      }, { scale: 1 / Math.sqrt(hd) });
      if (i >= firstAttn) {
        await encodeClsAttention(ctx, enc, { batch: B, heads: H, n: N, hd, scale: 1 / Math.sqrt(hd), yOffset: (i - firstAttn) * B * H * N }, { QKV: qkv, Y: a.attn });
      }
      await encodeMatmul(ctx, enc, "plain", "bias_residual", { m: M, n: D, k: D }, {}, { A: a.ctx, W: b.proj.weight, Bias: b.proj.bias, Y: a.x });
      await encodeMatmul(ctx, enc, "layernorm", "bias_gelu", { m: M, n: m.mlpDim, k: D }, { eps }, { A: a.x, G: b.norm2.weight, Beta: b.norm2.bias, W: b.fc1.weight, Bias: b.fc1.bias, Y: a.hidden });
      await encodeMatmul(ctx, enc, "plain", "bias_residual", { m: M, n: D, k: m.mlpDim }, {}, { A: a.hidden, W: b.fc2.weight, Bias: b.fc2.bias, Y: a.x });
    }
    await encodeLayerNorm(ctx, enc, B, D, { xOffset: 0, xStride: N * D, eps }, { X: a.x, G: w.norm.weight, Beta: w.norm.bias, Y: a.features });
    const C = m.labels.length;
    await encodeMatmul(ctx, enc, "plain", "bias", { m: B, n: C, k: D }, {}, { A: a.features, W: w.head.weight, Bias: w.head.bias, Y: a.logits });
    await encodeSoftmax(ctx, enc, B, C, 1 / m.temperature, { X: a.logits, Y: a.probs });
    if (roll) await encodeRollout(ctx, enc, roll, this.rolloutShape(), B);
    await ctx.checkErrors();
    this.recorded.set(B, list);
    return list;
  }

  private rolloutShape(): RolloutShape {
    const m = this.meta;
    return { batch: this.maxBatch, heads: m.numHeads, n: this.tokens, hd: m.embedDim / m.numHeads, depth: m.depth };
  }

  /** images: [B, 3, S, S] normalised (see preprocess.ts). Calls are serialised. */
  run(images: Float32Array, batch = 1): Promise<EngineOutput> {
    const next = this.queue.then(() => this.runNow(images, batch));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async runNow(images: Float32Array, B: number): Promise<EngineOutput> {
    if (this.destroyed) throw new Error("VitEngine: run() after destroy()");
    const S = this.inputSize;
    if (!Number.isInteger(B) || B < 1 || B > this.maxBatch) throw new Error(`VitEngine.run: batch ${B} must be 1..maxBatch ${this.maxBatch}`);
    if (images.length !== B * 3 * S * S) throw new Error(`VitEngine.run: images has ${images.length} floats, expected [${B}, 3, ${S}, ${S}] = ${B * 3 * S * S}`);
    const list = await this.record(B);
    const { ctx, a, meta: m } = this;
    const C = m.labels.length;
    const D = m.embedDim;
    const attnFloats = this.attentionLayers * B * m.numHeads * this.tokens;
    ctx.device.queue.writeBuffer(a.image, 0, images.buffer, images.byteOffset, images.byteLength);
    const enc = ctx.device.createCommandEncoder({ label: "vit forward" });
    replay(enc, list, "vit forward", this.timer?.writes);
    let off = 0;
    const rollFloats = this.roll ? B * this.tokens : 0;
    const parts: [GPUBuffer, number][] = [[a.logits, B * C], [a.probs, B * C], [a.features, B * D], [a.attn, attnFloats]];
    if (this.roll) parts.push([rolloutOut(this.roll, m.depth), rollFloats]);
    const offsets: number[] = [];
    for (const [buf, floats] of parts) {
      offsets.push(off);
      if (floats > 0) enc.copyBufferToBuffer(buf, 0, this.staging, off * 4, floats * 4);
      off += floats;
    }
    const bytes = off * 4 + (this.timer ? TIMER_BYTES : 0);
    this.timer?.resolve(enc, this.staging, off * 4);
    ctx.device.queue.submit([enc.finish()]);
    await this.staging.mapAsync(1 /* GPUMapMode.READ */, 0, bytes);
    const mapped = this.staging.getMappedRange(0, bytes).slice(0);
    this.staging.unmap();
    const all = new Float32Array(mapped, 0, off);
    await ctx.checkErrors();
    const out: EngineOutput = {
      logits: all.subarray(offsets[0]!, offsets[0]! + B * C),
      probs: all.subarray(offsets[1]!, offsets[1]! + B * C),
      features: all.subarray(offsets[2]!, offsets[2]! + B * D),
      clsAttention: attnFloats > 0 ? all.subarray(offsets[3]!, offsets[3]! + attnFloats) : null,
      rollout: this.roll ? normaliseRows(all.subarray(offsets[4]!, offsets[4]! + rollFloats), this.tokens) : null,
      gpuMs: this.timer ? PassTimer.ms(mapped, off * 4) : null,
    };
    if (ctx.validate) this.validate(images, B, out);
    return out;
  }

  /** GPU_VALIDATE: re-run each image through the CPU reference and assert the logits (and rollout map) agree. */
  private validate(images: Float32Array, B: number, out: EngineOutput): void {
    const C = this.meta.labels.length;
    const plane = 3 * this.inputSize * this.inputSize;
    for (let b = 0; b < B; b++) {
      const ref = vitForwardRef(images.subarray(b * plane, (b + 1) * plane), this.model.weights, this.meta);
      let err = 0;
      for (let c = 0; c < C; c++) err = Math.max(err, Math.abs(out.logits[b * C + c]! - ref.logits[c]!));
      if (!(err < 1e-3)) throw new Error(`GPU_VALIDATE: VitEngine logits of image ${b} differ from the CPU reference by ${err}`);
      const N = this.tokens;
      for (let j = 0; out.rollout && j < N; j++) err = Math.max(err, Math.abs(out.rollout[b * N + j]! - ref.rollout[j]!));
      if (!(err < 1e-3)) throw new Error(`GPU_VALIDATE: VitEngine rollout map of image ${b} differs from the CPU reference by ${err}`);
    }
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    const bufs = [this.w.patch.weight, this.w.patch.bias, this.w.cls, this.w.pos, this.w.norm.weight, this.w.norm.bias, this.w.head.weight, this.w.head.bias];
    for (const b of this.w.blocks) for (const p of [b.norm1, b.qkv, b.proj, b.norm2, b.fc1, b.fc2]) bufs.push(p.weight, p.bias);
    for (const b of [...bufs, ...Object.values(this.a), ...(this.roll ? rolloutBuffersList(this.roll) : [])]) this.ctx.alloc.release(b);
    this.staging.destroy();
    this.timer?.destroy();
  }
}
