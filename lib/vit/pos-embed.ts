// Position-embedding resampling for inputs larger than the training size (448 px -> 28x28 grid, N = 785), the way
// timm does it: class token kept, patch grid resized with PyTorch's bicubic (A = -0.75, align_corners = false).
function cubicWeights(t: number): [number, number, number, number] {
  const A = -0.75;
  const w1 = ((A + 2) * t - (A + 3)) * t * t + 1;
  const u = 1 - t;
  const w2 = ((A + 2) * u - (A + 3)) * u * u + 1;
  const w0 = ((A * (t + 1) - 5 * A) * (t + 1) + 8 * A) * (t + 1) - 4 * A;
  const w3 = 1 - w0 - w1 - w2;
  return [w0, w1, w2, w3];
}

/** posEmbed: [1 + g*g, D] -> [1 + newGrid^2, D]. */
export function interpolatePosEmbed(posEmbed: Float32Array, dim: number, newGrid: number): Float32Array {
  const g = Math.round(Math.sqrt(posEmbed.length / dim - 1));
  if ((g * g + 1) * dim !== posEmbed.length) throw new Error(`pos_embed of ${posEmbed.length} values is not [1 + g^2, ${dim}]`);
  if (newGrid === g) return posEmbed;
  const out = new Float32Array((1 + newGrid * newGrid) * dim);
  out.set(posEmbed.subarray(0, dim));
  const scale = g / newGrid;
  const clamp = (i: number) => Math.min(g - 1, Math.max(0, i));
  for (let oy = 0; oy < newGrid; oy++) {
    const sy = (oy + 0.5) * scale - 0.5;
    const y0 = Math.floor(sy);
    const wy = cubicWeights(sy - y0);
    for (let ox = 0; ox < newGrid; ox++) {
      const sx = (ox + 0.5) * scale - 0.5;
      const x0 = Math.floor(sx);
      const wx = cubicWeights(sx - x0);
      const o = (1 + oy * newGrid + ox) * dim;
      for (let a = 0; a < 4; a++) {
        const row = clamp(y0 - 1 + a);
        for (let b = 0; b < 4; b++) {
          const w = wy[a]! * wx[b]!;
          const src = (1 + row * g + clamp(x0 - 1 + b)) * dim;
          for (let d = 0; d < dim; d++) out[o + d]! += w * posEmbed[src + d]!;
        }
      }
    }
  }
  return out;
}
