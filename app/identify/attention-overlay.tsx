"use client";

import { useEffect, useRef } from "react";

/** The crop the model saw, with the class token's attention over its patches drawn as a heat map. */
export function AttentionOverlay({ crop, attention }: { crop: ImageData; attention: Float32Array | null }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext("2d");
    if (!canvas || !ctx) return;
    canvas.width = crop.width;
    canvas.height = crop.height;
    ctx.putImageData(crop, 0, 0);
    if (!attention) return;
    const grid = Math.round(Math.sqrt(attention.length));
    let max = 0;
    for (const a of attention) max = Math.max(max, a);
    const cell = crop.width / grid;
    for (let y = 0; y < grid; y++)
      for (let x = 0; x < grid; x++) {
        const v = max > 0 ? attention[y * grid + x] / max : 0;
        ctx.fillStyle = `rgba(255, 60, 0, ${(0.65 * v).toFixed(3)})`;
        ctx.fillRect(x * cell, y * cell, cell, cell);
      }
  }, [crop, attention]);
  return (
    <figure className="grid gap-1">
      <canvas ref={ref} data-testid="attention-overlay" className="w-full max-w-56 rounded" aria-label="Where the model looked" />
      <figcaption className="text-xs text-stone-600">{attention ? "Red: where the model looked most." : "Attention map not available on this backend."}</figcaption>
    </figure>
  );
}
