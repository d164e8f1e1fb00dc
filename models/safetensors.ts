// Reads a float32 safetensors file (8-byte little-endian header length, JSON header, raw little-endian data).
import { readFileSync } from "node:fs";

export type NamedTensor = { shape: number[]; data: Float32Array };

type HeaderEntry = { dtype: string; shape: number[]; data_offsets: [number, number] };

/** All tensors of a safetensors file, by name; throws on any dtype other than F32. */
export function readSafetensors(file: string): Map<string, NamedTensor> {
  const bytes = readFileSync(file);
  const headerLen = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + headerLen).toString("utf8")) as Record<string, HeaderEntry | object>;
  const base = 8 + headerLen;
  const out = new Map<string, NamedTensor>();
  for (const [name, entry] of Object.entries(header)) {
    if (name === "__metadata__") continue;
    const e = entry as HeaderEntry;
    if (e.dtype !== "F32") throw new Error(`${file}: tensor ${name} is ${e.dtype}, only F32 is supported`);
    const [start, end] = e.data_offsets;
    const count = e.shape.reduce((a, b) => a * b, 1);
    if (end - start !== count * 4) throw new Error(`${file}: tensor ${name} has ${end - start} bytes for shape [${e.shape}]`);
    // Copy: the data section is not guaranteed 4-byte aligned inside the Buffer.
    const data = new Float32Array(count);
    new Uint8Array(data.buffer).set(bytes.subarray(base + start, base + end));
    out.set(name, { shape: e.shape, data });
  }
  return out;
}
