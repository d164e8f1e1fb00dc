// Helpers for the attention tests and benchmark: fresh random inputs and the packing of views.
import type { AttentionShape } from "./layout.ts";

export function randomArray(length: number, amplitude = 1): Float32Array {
  const a = new Float32Array(length);
  for (let i = 0; i < length; i++) a[i] = (Math.random() * 2 - 1) * amplitude;
  return a;
}

export function randomQKV(s: AttentionShape, amplitude = 1): { q: Float32Array; k: Float32Array; v: Float32Array } {
  const size = s.batch * s.heads * s.n * s.d;
  return { q: randomArray(size, amplitude), k: randomArray(size, amplitude), v: randomArray(size) };
}

/** Contiguous [B, H, N, d] -> the fused-projection layout [B, N, 3, H, d] with q, k, v at slot 0, 1, 2. */
export function packQKV(s: AttentionShape, x: { q: Float32Array; k: Float32Array; v: Float32Array }): Float32Array {
  const { batch, heads, n, d } = s;
  const out = new Float32Array(batch * n * 3 * heads * d);
  [x.q, x.k, x.v].forEach((t, slot) => {
    for (let b = 0; b < batch; b++)
      for (let h = 0; h < heads; h++)
        for (let i = 0; i < n; i++)
          for (let c = 0; c < d; c++) out[(((b * n + i) * 3 + slot) * heads + h) * d + c] = t[((b * heads + h) * n + i) * d + c];
  });
  return out;
}
