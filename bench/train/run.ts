// `npm run bench:train`: a full species-model training run on the configured catalog (DATABASE_URL, PHOTO_STORE;
// seed it first with `npm run db:seed`), embedding included: once with an empty activation cache (cold: what a
// fresh clone pays) and once warm. Everything is written to a scratch folder: the shipped model is not touched.
// Prints a table and writes bench/train/results/train-bench.json.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createCatalog } from "../../lib/catalog/client.ts";
import { settings } from "../../lib/settings.ts";
import { runSpeciesPipeline } from "../../models/train/species-pipeline.ts";

const GOAL_S = 600;

async function main() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "bench-train-"));
  const db = createCatalog(settings().databaseUrl);
  const loadBefore = os.loadavg()[0]!;
  try {
    const runs = [];
    for (const cache of ["cold", "warm"] as const) {
      const t = performance.now();
      const r = await runSpeciesPipeline({
        db,
        photoStore: settings().photoStore,
        backboneDir: settings().backboneDir,
        cacheDir: path.join(dir, "cache"),
        outDir: path.join(dir, "out"),
        cardDir: path.join(dir, "card"),
        shippedDir: path.join(dir, "shipped"),
        modelId: "bench-species",
        log: (l) => console.log(`[${cache}] ${l}`),
      });
      const c = r.card;
      runs.push({
        cache,
        totalS: (performance.now() - t) / 1000,
        stagesS: c.timings,
        photos: c.data.photos,
        classes: c.data.classes,
        viewsEmbedded: Object.values(c.training.embed).reduce((s, e) => s + e.computed, 0),
        servedTop1: c.served.species.top1,
      });
    }
    const result = {
      date: new Date().toISOString(),
      host: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? "?", memoryGiB: Math.round(os.totalmem() / 2 ** 30), loadAverage1mBefore: loadBefore, loadAverage1mAfter: os.loadavg()[0] },
      goalSeconds: GOAL_S,
      runs,
    };
    mkdirSync(path.join(import.meta.dirname, "results"), { recursive: true });
    const out = path.join(import.meta.dirname, "results", "train-bench.json");
    writeFileSync(out, JSON.stringify(result, null, 1) + "\n");
    console.table(
      runs.map((r) => ({
        run: `${r.cache} cache`,
        seconds: r.totalS.toFixed(0),
        "goal (600 s)": r.totalS <= GOAL_S ? "met" : "not met",
        photos: r.photos,
        classes: r.classes,
        "views embedded": r.viewsEmbedded,
        stages: Object.entries(r.stagesS)
          .filter(([k]) => k !== "total")
          .map(([k, v]) => `${k} ${v.toFixed(0)}`)
          .join(", "),
      })),
    );
    console.log(`wrote ${out}`);
  } finally {
    await db.$disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
