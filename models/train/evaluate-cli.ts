// `npm run model:evaluate`: recomputes the model card's held-out numbers from the shipped ONNX model and fails (exit 1)
// when any differs. `--mechanism-test` checks the mechanism-test card against its own catalog.
import { existsSync, readFileSync } from "node:fs";
import { readSpeciesCard } from "../card/species-card.ts";
import { reproduceSpeciesCard } from "./species-evaluate.ts";
import path from "node:path";
import { Command } from "commander";
import { createCatalog } from "../../lib/catalog/client.ts";
import { settings } from "../../lib/settings.ts";
import { readModelCard } from "../card/card.ts";
import { DEFAULT_CARD_DIR, MECHANISM } from "./cli-paths.ts";
import { reproduceCard } from "./evaluate.ts";

async function main(): Promise<number> {
  const o = new Command()
    .name("model:evaluate")
    .option("--mechanism-test", "the mechanism-test card and catalog")
    .option("--card <file>", "card.json to reproduce")
    .parse()
    .opts<{ mechanismTest?: boolean; card?: string }>();
  const mech = Boolean(o.mechanismTest);
  const cardFile = path.resolve(o.card ?? path.join(mech ? MECHANISM.cardDir : DEFAULT_CARD_DIR, "card.json"));
  if (!existsSync(cardFile)) {
    console.error(`model:evaluate: no model card at ${cardFile}. Train first (npm run model:train); the species model is blocked until the catalog has photos (see models/card/README.md).`);
    return 2;
  }
  const raw = JSON.parse(readFileSync(cardFile, "utf8")) as { kind?: string };
  const db = createCatalog(mech ? MECHANISM.databaseUrl : settings().databaseUrl);
  try {
    if (raw.kind === "species-model") {
      const r = await reproduceSpeciesCard(readSpeciesCard(cardFile), path.dirname(cardFile), db, settings().photoStore);
      console.table(r.rows);
      for (const n of r.notes) console.log(`note: ${n}`);
      if (r.mismatches.length) {
        console.error(`model:evaluate: ${r.mismatches.length} numbers differ from ${cardFile}:\n  ${r.mismatches.join("\n  ")}`);
        return 1;
      }
      console.log(`model:evaluate: all ${r.rows.length} numbers of ${cardFile} reproduced from the shipped model`);
      return 0;
    }
    const card = readModelCard(cardFile);
    const r = await reproduceCard(card, path.dirname(cardFile), db, mech ? path.resolve(MECHANISM.photoStore) : settings().photoStore);
    console.table(r.rows);
    if (r.mismatches.length) {
      console.error(`model:evaluate: ${r.mismatches.length} numbers differ from ${cardFile}:\n  ${r.mismatches.join("\n  ")}`);
      return 1;
    }
    console.log(`model:evaluate: all ${r.rows.length} numbers of ${cardFile} reproduced from ${card.model.file}${card.kind === "mechanism-test" ? " (mechanism test)" : ""}`);
    return 0;
  } finally {
    await db.$disconnect();
  }
}

process.exitCode = await main();
