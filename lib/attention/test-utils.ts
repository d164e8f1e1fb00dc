// Helpers for the attention tests and benchmark: fresh random inputs and the packing of views.
export function randomArray(length: number, amplitude = 1): Float32Array {
  const a = new Float32Array(length);
  for (let i = 0; i < length; i++) a[i] = (Math.random() * 2 - 1) * amplitude;
  return a;
}
