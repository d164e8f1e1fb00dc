// Attention rollout (Abnar & Zuidema 2020) with attention sinks treated as registers, as ONNX nodes for the
// onnxruntime backends: the same computation as lib/attention's rollout kernels (method and float64 reference in
// lib/attention/rollout-reference.ts). Per block, from the last to the first, with Abar the head-averaged attention:
//   col = mean over queries of Abar; sinks S = { j >= 1 : col_j > SINK_FACTOR / N }; keep = 1 - [j in S]
//   An = (Abar * keep) / rowsum(Abar * keep);   r <- keep * (r + r An) / 2,   starting from r = e_0
// and r is normalised to sum 1 at the end. Only the class token's row is carried, so no identity matrix is stored.
import type { GraphBuilder } from "./onnx-builder.ts";
import { sinkThreshold } from "../lib/attention/rollout-reference.ts";

export const ROLLOUT_OUTPUT = "cls_rollout";
const FLOAT = 1; // TensorProto.FLOAT, for Cast

/** attns: per block (first to last) the softmax attention [B, H, N, N]. Adds output `cls_rollout` [B, N]; sums to 1. */
export function addRolloutOutput(g: GraphBuilder, attns: readonly string[], n: number): void {
  if (attns.length === 0) throw new Error("attention rollout needs at least one block");
  const half = g.floatInit("rollout_half", [], new Float32Array([0.5]));
  const one = g.floatInit("rollout_one", [], new Float32Array([1]));
  const tiny = g.floatInit("rollout_tiny", [], new Float32Array([1e-30]));
  const threshold = g.floatInit("rollout_sink_threshold", [], new Float32Array([sinkThreshold(n)]));
  const e0 = new Float32Array(n);
  e0[0] = 1;
  const oneHot = g.floatInit("rollout_cls_one_hot", [1, 1, n], e0);
  const notCls = g.floatInit("rollout_not_cls", [1, 1, n], e0.map((v) => 1 - v));
  const axis2 = g.int64Init("rollout_axis2", [2]);
  let r = oneHot; // [1 or B, 1, N]
  for (let l = attns.length - 1; l >= 0; l--) {
    const abar = g.one("ReduceMean", [attns[l]!], { axes: [1], keepdims: 0 }, "rollout_abar"); // [B, N, N]
    const col = g.one("ReduceMean", [abar], { axes: [1], keepdims: 1 }, "rollout_col"); // [B, 1, N]
    const sink = g.one("Mul", [g.one("Cast", [g.one("Greater", [col, threshold])], { to: FLOAT }), notCls]);
    const keep = g.one("Sub", [one, sink], {}, "rollout_keep");
    const kept = g.one("Mul", [abar, keep]);
    const rowSum = g.one("Max", [g.one("ReduceSum", [kept, axis2], { keepdims: 1 }), tiny]); // [B, N, 1]
    const flow = g.one("MatMul", [r, g.one("Div", [kept, rowSum])]); // [B, 1, N]
    r = g.one("Mul", [g.one("Mul", [g.one("Add", [r, flow]), half]), keep], {}, "rollout");
  }
  const total = g.one("ReduceSum", [r, axis2], { keepdims: 1 });
  g.nodeNamed("Squeeze", [g.one("Div", [r, total]), g.int64Init("rollout_squeeze_axis1", [1])], [ROLLOUT_OUTPUT]);
}
