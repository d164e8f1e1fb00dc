// Reads the exported ONNX file in any JS runtime: float32 initializers by name, metadata_props, output names.
// Our WebGPU engine takes its weights from here so it and onnxruntime share one artifact.
import { decodeHalf } from "./half.ts";
import { modelProtoType, TensorDataType } from "./proto.ts";
import type { Tensor } from "../weights.ts";

export type OnnxModelFile = {
  initializers: Map<string, Tensor>;
  metadata: Record<string, string>;
  inputNames: string[];
  outputNames: string[];
};

type Long = { toNumber(): number };
type RawTensor = { name: string; dims: (number | Long)[]; data_type: number; raw_data?: Uint8Array; float_data?: number[] };
type RawModel = {
  graph: { initializer: RawTensor[]; input: { name: string }[]; output: { name: string }[] };
  metadata_props: { key: string; value: string }[];
};

const toNumber = (v: number | Long) => (typeof v === "number" ? v : v.toNumber());

export function readOnnxModel(bytes: Uint8Array): OnnxModelFile {
  const m = modelProtoType().decode(bytes) as unknown as RawModel;
  if (!m.graph) throw new Error("ONNX file has no graph");
  const initializers = new Map<string, Tensor>();
  for (const t of m.graph.initializer) {
    // int64 shape constants are for onnxruntime only
    if (t.data_type !== TensorDataType.FLOAT && t.data_type !== TensorDataType.FLOAT16) continue;
    const shape = t.dims.map(toNumber);
    const count = shape.reduce((a, b) => a * b, 1);
    let data: Float32Array;
    if (t.data_type === TensorDataType.FLOAT16) {
      // Weights shipped in half precision are expanded to float32 at load (the graph casts them the same way).
      if (!t.raw_data || t.raw_data.length !== count * 2) throw new Error(`initializer ${t.name}: ${t.raw_data?.length ?? 0} bytes of float16 for shape [${shape}]`);
      const half = new Uint16Array(count);
      new Uint8Array(half.buffer).set(t.raw_data);
      data = new Float32Array(count);
      decodeHalf(half, 0, count, data);
    } else if (t.raw_data && t.raw_data.length) {
      if (t.raw_data.length !== count * 4) throw new Error(`initializer ${t.name}: ${t.raw_data.length} bytes for shape [${shape}]`);
      data = new Float32Array(count);
      new Uint8Array(data.buffer).set(t.raw_data); // copy: raw_data sits at an arbitrary byte offset
    } else {
      data = Float32Array.from(t.float_data ?? []);
      if (data.length !== count) throw new Error(`initializer ${t.name}: ${data.length} floats for shape [${shape}]`);
    }
    initializers.set(t.name, { shape, data });
  }
  const metadata = Object.fromEntries(m.metadata_props.map((p) => [p.key, p.value]));
  return { initializers, metadata, inputNames: m.graph.input.map((i) => i.name), outputNames: m.graph.output.map((o) => o.name) };
}
