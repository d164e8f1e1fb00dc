// The last ViT block, final LayerNorm and the species head on the class-token path only. Classification reads the
// class token alone, so fine-tuning the last block needs its output at one token: with the block's LayerNorm-1
// output H [N, D] of every token cached, attention for the class query is q -> u_h = W_kᵀ q_h / √d_h, s = H u_h,
// a = softmax(s), g_h = aᵀ H, o_h = W_v,h g_h + b_v,h. Forward and backward cost O(N·D·heads + D²) per view instead
// of O(N·D²): seconds per epoch on a CPU. Generic over Float32Array (training) and Float64Array (the reference).
import { addOuter, gelu, geluGrad, layerNorm, layerNormBack, matTVec, matVec, type Vec } from "./math.ts";

export type Dims = { N: number; D: number; H: number; M: number; C: number; eps: number };

/** Trainable parameters, PyTorch layout ([out, in]). W_k's bias is absent: it shifts every score equally. */
export type BlockParams<T extends Vec = Float32Array> = {
  wq: T; bq: T; wk: T; wv: T; bv: T; wo: T; bo: T;
  g2: T; b2: T; w1: T; c1: T; w2: T; c2: T;
  gf: T; bf: T; wh: T; bh: T;
};
export const PARAM_NAMES = ["wq", "bq", "wk", "wv", "bv", "wo", "bo", "g2", "b2", "w1", "c1", "w2", "c2", "gf", "bf", "wh", "bh"] as const;
export type ParamName = (typeof PARAM_NAMES)[number];

export function paramShapes(d: Dims): Record<ParamName, number[]> {
  const { D, M, C } = d;
  return { wq: [D, D], bq: [D], wk: [D, D], wv: [D, D], bv: [D], wo: [D, D], bo: [D], g2: [D], b2: [D], w1: [M, D], c1: [M], w2: [D, M], c2: [D], gf: [D], bf: [D], wh: [C, D], bh: [C] };
}

export function zerosLike<T extends Vec>(p: BlockParams<T>): BlockParams<T> {
  const out = {} as Record<ParamName, Vec>;
  for (const k of PARAM_NAMES) out[k] = new (p[k].constructor as { new (n: number): Vec })(p[k].length);
  return out as BlockParams<T>;
}

/** Per-view intermediates the backward needs (allocated once, reused for every view). */
export class Workspace<T extends Vec> {
  readonly q: T; readonly u: T; readonly s: T; readonly g: T; readonly ctx: T; readonly y1: T; readonly h2: T; readonly x2: T;
  readonly f1: T; readonly gl: T; readonly y2: T; readonly feat: T; readonly xf: T; readonly logits: T;
  // backward scratch
  readonly dfeat: T; readonly dy2: T; readonly dgl: T; readonly dh2: T; readonly dy1: T; readonly dctx: T; readonly dg: T; readonly da: T;
  readonly du: T; readonly dq: T; readonly tmpD: T;
  rstd2 = 0;
  rstdF = 0;
  constructor(readonly d: Dims, make: (n: number) => T) {
    const { N, D, H, M, C } = d;
    this.q = make(D); this.u = make(H * D); this.s = make(H * N); this.g = make(H * D); this.ctx = make(D); this.y1 = make(D);
    this.h2 = make(D); this.x2 = make(D); this.f1 = make(M); this.gl = make(M); this.y2 = make(D); this.feat = make(D); this.xf = make(D);
    this.logits = make(C);
    this.dfeat = make(D); this.dy2 = make(D); this.dgl = make(M); this.dh2 = make(D); this.dy1 = make(D); this.dctx = make(D);
    this.dg = make(D); this.da = make(N); this.du = make(D); this.dq = make(D); this.tmpD = make(D);
  }
}

/**
 * Forward for one view. h: LayerNorm-1 output of all N tokens [N, D] (row 0 the class token); xcls: the class token
 * entering the block [D]. Fills ws (logits in ws.logits, features in ws.feat).
 */
export function forward<T extends Vec>(p: BlockParams<T>, h: Vec, xcls: Vec, ws: Workspace<T>): void {
  const { N, D, H, M, C, eps } = ws.d;
  const hd = D / H;
  const scale = 1 / Math.sqrt(hd);
  matVec(p.wq, h, ws.q, D, D, p.bq, 0);
  for (let k = 0; k < H; k++) {
    // u_h = W_k,hᵀ q_h / √d_h  (W_k,h = rows k·hd .. (k+1)·hd of W_k)
    const u = ws.u.subarray(k * D, (k + 1) * D) as T;
    u.fill(0);
    for (let e = 0; e < hd; e++) {
      const qe = ws.q[k * hd + e]! * scale;
      const o = (k * hd + e) * D;
      for (let c = 0; c < D; c++) u[c] = u[c]! + p.wk[o + c]! * qe;
    }
    // s = H u, a = softmax(s) (kept in ws.s)
    const s = ws.s.subarray(k * N, (k + 1) * N) as T;
    matVec(h, u, s, N, D);
    let mx = -Infinity;
    for (let j = 0; j < N; j++) mx = Math.max(mx, s[j]!);
    let z = 0;
    for (let j = 0; j < N; j++) z += s[j] = Math.exp(s[j]! - mx);
    for (let j = 0; j < N; j++) s[j] = s[j]! / z;
    // g_h = aᵀ H; o_h = W_v,h g_h + b_v,h written into ctx
    const g = ws.g.subarray(k * D, (k + 1) * D) as T;
    matTVec(h, s, g, N, D);
    for (let e = 0; e < hd; e++) {
      const r = k * hd + e;
      let acc = p.bv[r]!;
      const o = r * D;
      for (let c = 0; c < D; c++) acc += p.wv[o + c]! * g[c]!;
      ws.ctx[r] = acc;
    }
  }
  matVec(p.wo, ws.ctx, ws.y1, D, D, p.bo);
  for (let i = 0; i < D; i++) ws.y1[i] = ws.y1[i]! + xcls[i]!;
  ws.rstd2 = layerNorm(ws.y1, p.g2, p.b2, ws.h2, ws.x2, D, eps);
  matVec(p.w1, ws.h2, ws.f1, M, D, p.c1);
  for (let i = 0; i < M; i++) ws.gl[i] = gelu(ws.f1[i]!);
  matVec(p.w2, ws.gl, ws.y2, D, M, p.c2);
  for (let i = 0; i < D; i++) ws.y2[i] = ws.y2[i]! + ws.y1[i]!;
  ws.rstdF = layerNorm(ws.y2, p.gf, p.bf, ws.feat, ws.xf, D, eps);
  matVec(p.wh, ws.feat, ws.logits, C, D, p.bh);
}

/** Backward for the view last passed to forward(): accumulates parameter gradients from dlogits [C]. */
export function backward<T extends Vec>(p: BlockParams<T>, grad: BlockParams<T>, h: Vec, dlogits: Vec, ws: Workspace<T>): void {
  const { N, D, H, M, C } = ws.d;
  const hd = D / H;
  const scale = 1 / Math.sqrt(hd);
  addOuter(grad.wh, dlogits, ws.feat, C, D);
  for (let c = 0; c < C; c++) grad.bh[c] = grad.bh[c]! + dlogits[c]!;
  matTVec(p.wh, dlogits, ws.dfeat, C, D);
  layerNormBack(ws.dfeat, ws.xf, ws.rstdF, p.gf, grad.gf, grad.bf, ws.dy2, D);
  // MLP: y2 = y1 + W2 gelu(W1 h2 + c1) + c2
  addOuter(grad.w2, ws.dy2, ws.gl, D, M);
  for (let i = 0; i < D; i++) grad.c2[i] = grad.c2[i]! + ws.dy2[i]!;
  matTVec(p.w2, ws.dy2, ws.dgl, D, M);
  for (let i = 0; i < M; i++) ws.dgl[i] = ws.dgl[i]! * geluGrad(ws.f1[i]!);
  addOuter(grad.w1, ws.dgl, ws.h2, M, D);
  for (let i = 0; i < M; i++) grad.c1[i] = grad.c1[i]! + ws.dgl[i]!;
  matTVec(p.w1, ws.dgl, ws.dh2, M, D);
  layerNormBack(ws.dh2, ws.x2, ws.rstd2, p.g2, grad.g2, grad.b2, ws.dy1, D);
  for (let i = 0; i < D; i++) ws.dy1[i] = ws.dy1[i]! + ws.dy2[i]!;
  // Attention output projection.
  addOuter(grad.wo, ws.dy1, ws.ctx, D, D);
  for (let i = 0; i < D; i++) grad.bo[i] = grad.bo[i]! + ws.dy1[i]!;
  matTVec(p.wo, ws.dy1, ws.dctx, D, D);
  ws.dq.fill(0);
  for (let k = 0; k < H; k++) {
    const g = ws.g.subarray(k * D, (k + 1) * D);
    const a = ws.s.subarray(k * N, (k + 1) * N);
    // o_h = W_v,h g_h + b_v,h  ->  dW_v,h += do_h g_hᵀ, dg_h = W_v,hᵀ do_h
    ws.dg.fill(0);
    for (let e = 0; e < hd; e++) {
      const r = k * hd + e;
      const dv = ws.dctx[r]!;
      grad.bv[r] = grad.bv[r]! + dv;
      const o = r * D;
      for (let c = 0; c < D; c++) {
        grad.wv[o + c] = grad.wv[o + c]! + dv * g[c]!;
        ws.dg[c] = ws.dg[c]! + p.wv[o + c]! * dv;
      }
    }
    // g = aᵀ H -> da = H dg; softmax -> ds = a ⊙ (da - aᵀ da); s = H u -> du = Hᵀ ds
    matVec(h, ws.dg, ws.da, N, D);
    let dot = 0;
    for (let j = 0; j < N; j++) dot += a[j]! * ws.da[j]!;
    for (let j = 0; j < N; j++) ws.da[j] = a[j]! * (ws.da[j]! - dot);
    matTVec(h, ws.da, ws.du, N, D);
    // u = W_k,hᵀ q_h · scale -> dW_k,h += scale q_h duᵀ; dq_h = scale W_k,h du
    for (let e = 0; e < hd; e++) {
      const r = k * hd + e;
      const qe = ws.q[r]! * scale;
      const o = r * D;
      let acc = 0;
      for (let c = 0; c < D; c++) {
        grad.wk[o + c] = grad.wk[o + c]! + qe * ws.du[c]!;
        acc += p.wk[o + c]! * ws.du[c]!;
      }
      ws.dq[r] = acc * scale;
    }
  }
  // q = W_q h_cls + b_q
  addOuter(grad.wq, ws.dq, h, D, D);
  for (let i = 0; i < D; i++) grad.bq[i] = grad.bq[i]! + ws.dq[i]!;
}
