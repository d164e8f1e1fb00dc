// The browser's copy of the served prototype head (GET /api/model/prototypes), checked to belong to the model in
// use. Any failure means "head only": the prototypes add recognition, the warnings never depend on them.
import { z } from "zod";
import type { PrototypeSet } from "./prototypes";

const response = z.object({
  modelSha256: z.string(),
  dim: z.number().int().positive(),
  temperature: z.number().positive(),
  alpha: z.number().min(0).max(1),
  taxa: z.array(z.object({ name: z.string().min(1), vector: z.string() })),
});

function vectorFromBase64(b64: string, dim: number): Float32Array {
  const bin = atob(b64);
  if (bin.length !== dim * 4) throw new Error(`prototype vector has ${bin.length} bytes, expected ${dim * 4}`);
  const bytes = Uint8Array.from(bin, (ch) => ch.charCodeAt(0));
  return new Float32Array(bytes.buffer);
}

export async function downloadPrototypes(modelSha256: string): Promise<PrototypeSet | null> {
  try {
    const res = await fetch("/api/model/prototypes", { cache: "no-store" });
    if (!res.ok) return null;
    const r = response.safeParse(await res.json());
    if (!r.success || r.data.modelSha256 !== modelSha256) return null;
    return { dim: r.data.dim, temperature: r.data.temperature, alpha: r.data.alpha, taxa: r.data.taxa.map((t) => ({ name: t.name, vector: vectorFromBase64(t.vector, r.data.dim) })) };
  } catch {
    return null;
  }
}
