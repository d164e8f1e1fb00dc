// The head's loss and gradient as a small ONNX graph run by onnxruntime-node: the same maths as lossAndGrad in
// linear-head.ts (the float64 reference it is tested against), on MLAS GEMMs instead of JS loops, which is what keeps
// head training on a whole catalog within minutes on 2 cores.
//   logits = X W^T + b;  loss = -sum(T * logsoftmax(logits));  G = softmax * rowsum(T) - T;  dW = G^T X;  db = colsum(G)
// T [N,C] holds each sample's normalised class weight at its label (zero elsewhere). Weight decay is added in TS.
import * as ort from "onnxruntime-node";
import { GraphBuilder, tensorInfo } from "../onnx-builder.ts";
import { modelProtoType } from "../../lib/vit/onnx/proto.ts";
import type { GradientEngine, LinearHead, LossGrad } from "./linear-head.ts";

function gradientModel(): Uint8Array {
  const g = new GraphBuilder();
  const logits = g.one("Gemm", ["X", "W", "B"], { transB: 1 });
  const logp = g.one("LogSoftmax", [logits], { axis: 1 });
  g.nodeNamed("Neg", [g.one("ReduceSum", [g.one("Mul", ["T", logp])], { keepdims: 0 })], ["loss"]);
  const rowWeight = g.one("ReduceSum", ["T", g.int64Init("axis1", [1])], { keepdims: 1 });
  const G = g.one("Sub", [g.one("Mul", [g.one("Exp", [logp]), rowWeight]), "T"]);
  g.nodeNamed("Gemm", [G, "X"], ["gradW"], { transA: 1 });
  g.nodeNamed("ReduceSum", [G, g.int64Init("axis0", [0])], ["gradB"], { keepdims: 0 });
  const graph = {
    name: "linear_head_grad",
    node: g.nodes,
    initializer: g.initializers,
    input: [tensorInfo("X", ["n", "d"]), tensorInfo("W", ["c", "d"]), tensorInfo("B", ["c"]), tensorInfo("T", ["n", "c"])],
    output: [tensorInfo("loss", []), tensorInfo("gradW", ["c", "d"]), tensorInfo("gradB", ["c"])],
  };
  const Model = modelProtoType();
  const model = { ir_version: 8, producer_name: "mushroom-id models/train/head-grad-onnx.ts", opset_import: [{ domain: "", version: 17 }], graph };
  const err = Model.verify(model);
  if (err) throw new Error(`head gradient graph invalid: ${err}`);
  return Model.encode(Model.fromObject(model)).finish();
}

export async function onnxGradientEngine(threads = 2): Promise<GradientEngine & { release(): Promise<void> }> {
  const session = await ort.InferenceSession.create(gradientModel(), { intraOpNumThreads: threads, interOpNumThreads: 1 });
  return {
    name: "onnxruntime-node",
    async lossAndGrad(h: LinearHead, x: Float32Array, labels: Int32Array, classWeight: Float64Array, weightDecay: number): Promise<LossGrad> {
      const { C, D } = h;
      const N = labels.length;
      let wsum = 0;
      for (let n = 0; n < N; n++) wsum += classWeight[labels[n]!]!;
      const T = new Float32Array(N * C);
      for (let n = 0; n < N; n++) T[n * C + labels[n]!] = classWeight[labels[n]!]! / wsum;
      const out = await session.run({
        X: new ort.Tensor("float32", x, [N, D]),
        W: new ort.Tensor("float32", Float32Array.from(h.weight), [C, D]),
        B: new ort.Tensor("float32", Float32Array.from(h.bias), [C]),
        T: new ort.Tensor("float32", T, [N, C]),
      });
      const gradW = Float64Array.from(out.gradW!.data as Float32Array);
      let loss = (out.loss!.data as Float32Array)[0]!;
      for (let i = 0; i < C * D; i++) {
        loss += 0.5 * weightDecay * h.weight[i]! ** 2;
        gradW[i]! += weightDecay * h.weight[i]!;
      }
      return { loss, gradW, gradB: Float64Array.from(out.gradB!.data as Float32Array) };
    },
    release: () => session.release(),
  };
}
