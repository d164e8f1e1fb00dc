// npm run bench:scraper — import rate of a Kaggle-215-sized folder (3,122 generated 512x512 JPEGs in 215
// species folders) into a fresh SQLite catalog, derivatives included. Goal: under 60 s.
// Prints a table and writes JSON to bench/scraper/results/. Generation is cached and not timed.
import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { Command } from "commander";
import { createCatalog } from "../../lib/catalog/client";
import { applyMigrations } from "../../lib/catalog/schema-engine";
import { SilentProgress } from "../../scraper/core/progress";
import { runKaggleImport } from "../../scraper/sources/kaggle/source";

const o = new Command("bench:scraper")
  .option("--photos <n>", "photos in all", "3122")
  .option("--folders <n>", "species folders", "215")
  .option("--size <px>", "photo side", "512")
  .option("--concurrency <n>", "images processed at once", "4")
  .option("--work <dir>", "where the data set, catalog and store go", "var/bench-scraper")
  .parse()
  .opts<{ photos: string; folders: string; size: string; concurrency: string; work: string }>();
const [photos, folders, size, concurrency] = [o.photos, o.folders, o.size, o.concurrency].map(Number);

const letters = (i: number) => {
  let s = "";
  for (let n = i + 26; n > 0; n = Math.floor(n / 26) - 1) s = String.fromCharCode(97 + (n % 26)) + s;
  return s;
};
const dataDir = path.resolve(o.work, `dataset-${photos}x${size}`);

/** A photo-like image: smooth colour field, a cap-like disc, and grain, distinct per index. */
async function makePhoto(i: number): Promise<Buffer> {
  const px = Buffer.alloc(size * size * 3);
  let seed = (i + 1) * 2654435761;
  const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24);
  const [r0, g0, b0] = [rnd(), rnd(), rnd()];
  const cx = size * (0.3 + (rnd() / 255) * 0.4);
  const cy = size * (0.3 + (rnd() / 255) * 0.4);
  const rad = size * (0.15 + (rnd() / 255) * 0.2);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const k = (y * size + x) * 3;
      const inCap = (x - cx) ** 2 + (y - cy) ** 2 < rad * rad;
      const grain = (rnd() & 15) - 8;
      px[k] = (inCap ? 200 - r0 / 4 : (r0 + x / 4) & 255) + grain;
      px[k + 1] = (inCap ? 150 - g0 / 4 : (g0 + y / 4) & 255) + grain;
      px[k + 2] = (inCap ? 90 : (b0 + (x + y) / 8) & 255) + grain;
    }
  }
  return sharp(px, { raw: { width: size, height: size, channels: 3 } }).jpeg({ quality: 85 }).toBuffer();
}

async function ensureDataset(): Promise<void> {
  const have = await readdir(dataDir).catch(() => []);
  if (have.length === folders) return;
  await rm(dataDir, { recursive: true, force: true });
  console.log(`generating ${photos} photos of ${size}x${size} in ${folders} folders (not timed)...`);
  let i = 0;
  for (let f = 0; f < folders; f++) {
    const dir = path.join(dataDir, `Benchia_${letters(f)}`);
    await mkdir(dir, { recursive: true });
    const n = Math.floor(photos / folders) + (f < photos % folders ? 1 : 0);
    for (let j = 0; j < n; j++, i++) await writeFile(path.join(dir, `${j}.jpg`), await makePhoto(i));
  }
}

await ensureDataset();
const runDir = path.resolve(o.work, "run");
await rm(runDir, { recursive: true, force: true });
const url = `file:${path.join(runDir, "catalog.db")}`;
await applyMigrations(url);
const db = createCatalog(url);
const load = os.loadavg()[0];
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const summary = await runKaggleImport(db, {
  from: dataDir,
  storeRoot: path.join(runDir, "photos"),
  concurrency,
  dryRun: false,
  createSpecies: true,
  progress: new SilentProgress(),
  source: { key: "bench", name: "bench", licence: "generated" },
});
const seconds = (performance.now() - t0) / 1000;
const cpuUsed = process.cpuUsage(cpu0);
// CPU time of this process (sharp's threads included): unlike wall time, not inflated by other load.
const cpuSeconds = (cpuUsed.user + cpuUsed.system) / 1e6;
const [photoRows, speciesRows] = [await db.photo.count(), await db.species.count()];
await db.$disconnect();
if (photoRows !== photos || speciesRows !== folders) throw new Error(`import incomplete: ${photoRows} photos, ${speciesRows} species`);

const cpu = os.cpus();
const machine = `${cpu[0]?.model.trim() ?? "unknown CPU"}, ${cpu.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.release()}, node ${process.version}`;
const result = {
  date: new Date().toISOString(),
  machine,
  loadAverageAtStart: Number(load.toFixed(2)),
  photos,
  folders,
  size,
  concurrency,
  seconds: Number(seconds.toFixed(2)),
  cpuSeconds: Number(cpuSeconds.toFixed(2)),
  loadAverageAtEnd: Number(os.loadavg()[0].toFixed(2)),
  photosPerSecond: Number((photos / seconds).toFixed(1)),
  msPerPhoto: Number(((seconds * 1000) / photos).toFixed(2)),
  goalSeconds: 60,
  underGoal: seconds < 60,
  summary: { added: summary.photos.added, linked: summary.photos.linked, skipped: summary.skipped },
};
console.table([{ photos, folders, "size px": size, concurrency, seconds: result.seconds, "photos/s": result.photosPerSecond, "ms/photo": result.msPerPhoto, "CPU s": result.cpuSeconds, "under 60 s": result.underGoal }]);
console.log(`machine: ${machine} (1-min load average ${result.loadAverageAtStart} at start, ${result.loadAverageAtEnd} at end)`);
const outDir = path.resolve(import.meta.dirname, "results");
await mkdir(outDir, { recursive: true });
const stamp = result.date.slice(0, 16).replace(/\D/g, "");
const file = path.join(outDir, `import-rate-${photos}x${size}-${os.hostname().replace(/[^\w.-]/g, "_")}-${stamp}.json`);
await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
console.log(`wrote ${path.relative(process.cwd(), file)}`);
