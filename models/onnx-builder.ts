// A small helper for writing ONNX graphs as plain objects for protobufjs: nodes, initializers, attributes.
import { AttributeType, TensorDataType } from "../lib/vit/onnx/proto.ts";
import { encodeHalf } from "../lib/vit/onnx/half.ts";

type Attr = number | number[] | string | { float: number };
type Obj = Record<string, unknown>;

export class GraphBuilder {
  readonly nodes: Obj[] = [];
  readonly initializers: Obj[] = [];
  private readonly names = new Set<string>();
  private counter = 0;

  /** A float32 initializer; name is kept verbatim so runtimes can look weights up by their timm name. */
  floatInit(name: string, dims: number[], data: Float32Array): string {
    const count = dims.reduce((a, b) => a * b, 1);
    if (count !== data.length) throw new Error(`initializer ${name}: dims [${dims}] need ${count} values, got ${data.length}`);
    this.claim(name);
    const raw = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    this.initializers.push({ name, dims, data_type: TensorDataType.FLOAT, raw_data: raw });
    return name;
  }

  /** A float16 initializer under the timm name (half the bytes); consumers read it through a Cast to float. */
  halfInit(name: string, dims: number[], data: Float32Array): string {
    const count = dims.reduce((a, b) => a * b, 1);
    if (count !== data.length) throw new Error(`initializer ${name}: dims [${dims}] need ${count} values, got ${data.length}`);
    this.claim(name);
    const half = new Uint16Array(count);
    encodeHalf(data, half);
    this.initializers.push({ name, dims, data_type: TensorDataType.FLOAT16, raw_data: new Uint8Array(half.buffer) });
    return name;
  }

  int64Init(name: string, values: number[] | number): string {
    this.claim(name);
    const dims = typeof values === "number" ? [] : [values.length];
    const data = typeof values === "number" ? [values] : values;
    this.initializers.push({ name, dims, data_type: TensorDataType.INT64, int64_data: data });
    return name;
  }

  /** Adds a node and returns its output names. */
  node(opType: string, inputs: string[], attrs: Record<string, Attr> = {}, outputs = 1, hint = opType): string[] {
    const outs = Array.from({ length: outputs }, (_, i) => `${hint}_${this.counter}${outputs > 1 ? `_${i}` : ""}`);
    this.counter++;
    return this.nodeNamed(opType, inputs, outs, attrs);
  }

  nodeNamed(opType: string, inputs: string[], outputs: string[], attrs: Record<string, Attr> = {}): string[] {
    for (const o of outputs) this.claim(o);
    this.nodes.push({
      op_type: opType,
      name: `${opType}_${this.nodes.length}`,
      input: inputs,
      output: outputs,
      attribute: Object.entries(attrs).map(([name, v]) => attribute(name, v)),
    });
    return outputs;
  }

  one(opType: string, inputs: string[], attrs: Record<string, Attr> = {}, hint = opType): string {
    return this.node(opType, inputs, attrs, 1, hint)[0]!;
  }

  private claim(name: string): void {
    if (this.names.has(name)) throw new Error(`ONNX graph: duplicate value name ${name}`);
    this.names.add(name);
  }
}

function attribute(name: string, v: Attr): Obj {
  if (typeof v === "string") return { name, type: AttributeType.STRING, s: new TextEncoder().encode(v) };
  if (Array.isArray(v)) return { name, type: AttributeType.INTS, ints: v };
  if (typeof v === "object") return { name, type: AttributeType.FLOAT, f: v.float };
  return { name, type: AttributeType.INT, i: v };
}

/** A tensor ValueInfo with symbolic ("batch") or fixed dims. */
export function tensorInfo(name: string, dims: (number | string)[]): Obj {
  return {
    name,
    type: {
      tensor_type: {
        elem_type: TensorDataType.FLOAT,
        shape: { dim: dims.map((d) => (typeof d === "number" ? { dim_value: d } : { dim_param: d })) },
      },
    },
  };
}
