// The prototype head the site serves now: the shipped means (models/shipped/<model>/) updated with every approved
// photo's embedding by the served model (PhotoEmbedding, written when a reviewer approves). A taxon the head lacks
// gains a prototype with its first approved photo. Recomputed when approvals change; shared by /api/identify and
// /api/model/prototypes (which the browser fetches).
import { existsSync } from "node:fs";
import path from "node:path";
import type { Catalog } from "../catalog/client";
import { readShippedPrototypes, SHIPPED_DIR } from "./shipped-artifacts";
import { vectorFromBytes } from "../moderation/embedding";
import { fileSha256, type ShippedModel } from "./shipped-model";
import type { PrototypeSet } from "./prototypes";

type Cached = { key: string; set: PrototypeSet | null };
const g = globalThis as unknown as { prototypeCache?: Cached };

function normalize(v: Float32Array): Float32Array {
  let s = 0;
  for (const x of v) s += x * x;
  const inv = 1 / Math.max(Math.sqrt(s), 1e-12);
  return v.map((x) => x * inv);
}

/** null when the served model ships no prototype head (e.g. the ImageNet backbone). */
export async function servedPrototypes(db: Catalog, model: Pick<ShippedModel, "file" | "name">, shippedRoot = SHIPPED_DIR): Promise<PrototypeSet | null> {
  const dir = path.resolve(shippedRoot, model.name.replace(/\.onnx$/, ""));
  if (!existsSync(path.join(dir, "manifest.json"))) return null;
  const sha = await fileSha256(model.file);
  const stats = await db.photoEmbedding.aggregate({ where: { modelSha256: sha, photo: { status: "APPROVED" } }, _count: { _all: true }, _max: { id: true } });
  const key = `${dir}:${sha}:${stats._count._all}:${stats._max.id ?? 0}`;
  if (g.prototypeCache?.key === key) return g.prototypeCache.set;
  const { set, counts } = readShippedPrototypes(dir);
  const sums = new Map(set.taxa.map((t, k) => [t.name, t.vector.map((x) => x * counts[k]!)]));
  const rows = await db.photoEmbedding.findMany({
    where: { modelSha256: sha, dim: set.dim, photo: { status: "APPROVED" } },
    select: { vector: true, dim: true, photo: { select: { species: { select: { scientificName: true } } } } },
  });
  for (const r of rows) {
    const name = r.photo.species.scientificName;
    const u = normalize(vectorFromBytes(r.vector, r.dim));
    const sum = sums.get(name) ?? new Float32Array(set.dim);
    for (let d = 0; d < set.dim; d++) sum[d]! += u[d]!;
    sums.set(name, sum);
  }
  const served: PrototypeSet = { ...set, taxa: [...sums].map(([name, sum]) => ({ name, vector: normalize(sum) })) };
  g.prototypeCache = { key, set: served };
  return served;
}
