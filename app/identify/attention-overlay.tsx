"use client";

import { useEffect, useRef } from "react";
import { overlayHeat, paintHeat } from "@/lib/identify/attention-map";

/**
 * The crop the model saw with the attention-rollout map over it: how much of the model's final summary flowed from
 * each part of the photo, through all blocks (lib/identify/attention-map.ts), scaled by percentiles and smoothed.
 */
export function AttentionOverlay({ crop, rollout }: { crop: ImageData; rollout: Float32Array | null }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext("2d");
    if (!canvas || !ctx) return;
    canvas.width = crop.width;
    canvas.height = crop.height;
    const pixels = new ImageData(new Uint8ClampedArray(crop.data), crop.width, crop.height);
    if (rollout) paintHeat(pixels.data, overlayHeat(rollout, crop.width, crop.height));
    ctx.putImageData(pixels, 0, 0);
  }, [crop, rollout]);
  return (
    <figure className="grid gap-1">
      <canvas ref={ref} data-testid="attention-overlay" data-has-map={rollout ? "yes" : "no"} className="w-full max-w-56 rounded" aria-label="Where the model looked" />
      <figcaption className="text-xs text-stone-600">
        {rollout ? "Red: the parts of the photo the model's answer drew on most (attention rollout over all layers)." : "Attention map not available on this backend."}
      </figcaption>
    </figure>
  );
}
