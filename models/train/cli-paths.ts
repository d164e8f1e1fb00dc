// Default locations shared by model:train, model:evaluate and the benchmark.
import path from "node:path";

export const SPECIES_MODEL_ID = "mushroom-species";
export const DEFAULT_OUT_DIR = "public/models";
export const DEFAULT_CARD_DIR = path.join("models", "card", SPECIES_MODEL_ID);
export const DEFAULT_CACHE_DIR = path.join("var", "train", "cache");

/** The mechanism test keeps its own catalog and photo store, apart from the real one. */
export const MECHANISM = {
  modelId: "mechanism-imagenet17",
  dir: path.join("var", "train", "mechanism"),
  databaseUrl: `file:${path.join("var", "train", "mechanism", "catalog.db")}`,
  photoStore: path.join("var", "train", "mechanism", "photos"),
  cardDir: path.join("models", "card", "mechanism-test"),
};

/** Everything under one scratch folder (tests and the benchmark): photos, feature cache, model and card. */
export function scratchPaths(dir: string, photoStore = path.join(dir, "photos")) {
  return {
    photoStore,
    cacheDir: path.join(dir, "cache"),
    outDir: path.join(dir, "out"),
    cardDir: path.join(dir, "card"),
  };
}
