// `npm run prepare:models` (after the backbone export): assembles every shipped model under models/shipped/ into
// public/models/ from the backbone in BACKBONE_DIR and the committed weights, each checked by SHA-256.
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { settings } from "../lib/settings.ts";
import { assembleShipped, SHIPPED_DIR } from "./train/species-export.ts";

const root = path.resolve(SHIPPED_DIR);
const dirs = existsSync(root) ? readdirSync(root, { withFileTypes: true }).filter((e) => e.isDirectory() && existsSync(path.join(root, e.name, "manifest.json"))) : [];
for (const d of dirs) {
  const r = assembleShipped(path.join(root, d.name), settings().backboneDir, path.resolve("public/models"));
  console.log(
    `${r.written ? "assembled" : "up to date"}: ${r.file} (${r.manifest.labels.length} classes, ${r.manifest.variant.name})` +
      (r.sameBytesAsTrained ? "" : " — export code changed since training: run `npm run model:evaluate` to check the card's numbers"),
  );
}
if (dirs.length === 0) console.log("no shipped models under models/shipped/");
