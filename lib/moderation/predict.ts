// The model's own opinion of a photo in the queue: the top five candidates of the served model, with the catalog
// taxon each label is (when it is one), computed by the same server path as /api/identify.
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Catalog } from "../catalog/client";
import { buildResult, labelsNeedingFacts, TOP_K } from "../identify/result";
import { classifyOnServer, ServerBusy, withPrototypes } from "../identify/server-classifier";
import { servedPrototypes } from "../identify/prototype-store";
import { shippedModelFile } from "../identify/shipped-model";
import { factsForLabels } from "../identify/species-facts";

export type ModelOpinion =
  | { ok: true; modelId: string; ms: number; candidates: { label: string; probability: number; taxon: { scientificName: string; slug: string; inCatalog: boolean } | null }[] }
  | { ok: false; message: string };

export async function modelTopFive(db: Catalog, storeRoot: string, filePath: string): Promise<ModelOpinion> {
  const file = path.resolve(storeRoot, filePath);
  if (!file.startsWith(path.resolve(storeRoot) + path.sep)) return { ok: false, message: "The photo's path is outside the photo store." };
  try {
    const bytes = await readFile(file);
    const model = shippedModelFile();
    const pred = withPrototypes(await classifyOnServer([bytes]), model ? await servedPrototypes(db, model) : null);
    const facts = await factsForLabels(db, labelsNeedingFacts(pred.labels, pred.perPhoto));
    const inCatalog = new Set(facts.filter((f) => f.species).map((f) => f.label));
    const result = buildResult({ labels: pred.labels, perPhoto: pred.perPhoto, facts, abstainThreshold: pred.abstainThreshold, k: TOP_K });
    return {
      ok: true,
      modelId: pred.modelId,
      ms: pred.ms,
      candidates: result.candidates.map((c) => ({
        label: c.label,
        probability: c.probability,
        taxon: c.facts ? { scientificName: c.facts.scientificName, slug: c.facts.slug, inCatalog: inCatalog.has(c.label) } : null,
      })),
    };
  } catch (e) {
    if (e instanceof ServerBusy) return { ok: false, message: "The server is busy classifying other photos; reload in a few seconds." };
    return { ok: false, message: `The model could not classify this photo: ${e instanceof Error ? e.message : String(e)}` };
  }
}
