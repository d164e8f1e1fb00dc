// model:evaluate for the species card: runs the shipped ONNX on the card's test photos (found in the catalog by
// content hash) exactly as model:train did, and lists every number that differs from the card.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Catalog } from "../../lib/catalog/client.ts";
import type { SpeciesCard } from "../card/species-card.ts";
import { annotateLabel } from "../../lib/verdict/annotate.ts";
import { onnxPhotoProbs } from "./species-onnx-eval.ts";
import { evaluateSpecies, type EvalPhoto } from "./species-eval.ts";
import { readShippedPrototypes, SHIPPED_DIR } from "../../lib/identify/shipped-artifacts.ts";
import { fuseWithPrototypes } from "../../lib/identify/prototypes.ts";

export type Reproduction = { rows: { measure: string; card: number; now: number }[]; mismatches: string[]; notes: string[] };

export async function reproduceSpeciesCard(card: SpeciesCard, cardDir: string, db: Catalog, photoStore: string): Promise<Reproduction> {
  const onnxFile = path.resolve(cardDir, card.model.file);
  const bytes = readFileSync(onnxFile);
  const mismatches: string[] = [];
  const notes: string[] = [];
  const sha = createHash("sha256").update(bytes).digest("hex");
  // Other bytes (the export graph gained an output since training) are fine as long as every number below holds.
  if (sha !== card.model.sha256) notes.push(`model file ${onnxFile}: sha256 ${sha.slice(0, 12)}…, trained as ${card.model.sha256.slice(0, 12)}…`);
  const hashes = card.data.testPhotos.map((t) => t.contentHash);
  const rows = await db.photo.findMany({
    where: { contentHash: { in: hashes } },
    select: { contentHash: true, trainPath: true, filePath: true, origins: { select: { id: true, source: { select: { key: true } } } } },
  });
  const byHash = new Map(rows.map((r) => [r.contentHash, r]));
  const missing = hashes.filter((h) => !byHash.has(h));
  if (missing.length) throw new Error(`${missing.length} test photos of the card are not in this catalog (seed it first: npm run db:seed)`);
  const run = await onnxPhotoProbs(bytes, hashes.map((h) => path.resolve(photoStore, byHash.get(h)!.trainPath ?? byHash.get(h)!.filePath)));
  const { labels, abstainThreshold } = run;
  // As served: the head fused with the shipped prototype head.
  const protos = readShippedPrototypes(path.join(SHIPPED_DIR, card.modelId)).set;
  const C = labels.length;
  const probs = new Float64Array(run.probs.length);
  for (let n = 0; n < run.probs.length / C; n++) probs.set(fuseWithPrototypes(labels, run.probs.subarray(n * C, (n + 1) * C), run.features.subarray(n * run.dim, (n + 1) * run.dim), protos), n * C);
  const index = new Map(labels.map((l, i) => [l, i]));
  const photos: EvalPhoto[] = card.data.testPhotos.map((t) => {
    const r = byHash.get(t.contentHash)!;
    const genus = annotateLabel(t.taxon).genus ?? t.taxon.split(" ")[0]!;
    const own = index.get(t.taxon);
    const allowed = own !== undefined ? [own] : labels.flatMap((l, i) => ((annotateLabel(l).genus ?? l.split(" ")[0]) === genus ? [i] : []));
    const source = [...r.origins].sort((a, b) => a.id - b.id)[0]?.source.key ?? "unknown";
    return { taxon: t.taxon, genus, source, allowed, isClass: own !== undefined };
  });
  const now = evaluateSpecies(probs, photos, labels, abstainThreshold ?? card.abstain.threshold);
  const c = card.served;
  const pairs: [string, number, number][] = [
    ["test photos (species level)", c.species.n, now.species.n],
    ["top-1", c.species.top1, now.species.top1],
    ["top-5", c.species.top5, now.species.top5],
    ["ECE", c.species.ece, now.species.ece],
    ["NLL", c.species.nll, now.species.nll],
    ["genus top-1", c.genusTop1.top1, now.genusTop1.top1],
    ["identified", c.verdict.identified, now.verdict.identified],
    ["genus answers", c.verdict.genus, now.verdict.genus],
    ["not sure", c.verdict.notSure, now.verdict.notSure],
    ["poisonous/deadly shown edible", c.verdict.shownEdibleDangerous, now.verdict.shownEdibleDangerous],
    ["fusion pairs, pooled top-1", c.fusion.top1Pooled, now.fusion.top1Pooled],
  ];
  // Counts and rates of counts must match exactly; ECE and NLL within float noise of a re-optimised graph.
  const tol = (m: string) => (m === "ECE" || m === "NLL" ? 1e-3 : 1e-9);
  for (const [m, a, b] of pairs) if (Math.abs(a - b) > tol(m)) mismatches.push(`${m}: card ${a}, now ${b}`);
  return { rows: pairs.map(([measure, cardV, nowV]) => ({ measure, card: cardV, now: nowV })), mismatches, notes };
}
