// The Kaggle importer on small generated data sets of the "Mushrooms images classification 215" layout:
// an extracted folder, its zip, the download path against a local HTTP server, and cross-source dedupe.
import { mkdir, mkdtemp, readdir, writeFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { upsertSpecies } from "../../../lib/catalog/ingest";
import { SilentProgress } from "../../core/progress";
import { missingFiles, snapshot, tempCatalog, type TempCatalog } from "../../testing/temp-catalog";
import { zipFiles } from "../../testing/zip-writer";
import { resolveKaggleCredentials } from "./credentials";
import { KAGGLE_215, runKaggleImport, type KaggleImportOptions } from "./source";

const img = (seed: number, format: "jpeg" | "png" = "jpeg") =>
  sharp({ create: { width: 40 + seed, height: 30, channels: 3, background: { r: seed * 20, g: 90, b: 255 - seed * 10 } } })
    [format]()
    .toBuffer();

/** relPath under the zip/folder root -> bytes. Nested like Kaggle zips: data/data/<species>/<file>. */
async function datasetFiles(): Promise<{ name: string; data: Buffer }[]> {
  const horse1 = await img(1);
  const bolete = await img(5);
  return [
    { name: "data/mushrooms.txt", data: Buffer.from("horse_mushroom\nBoletus_edulis\nmystery_cap\n") },
    { name: "data/data/horse_mushroom/1.jpg", data: horse1 },
    { name: "data/data/horse_mushroom/2.jpg", data: await img(2) },
    { name: "data/data/horse_mushroom/3.jpg", data: await img(3) },
    { name: "data/data/horse_mushroom/dup-of-1.jpg", data: horse1 },
    { name: "data/data/horse_mushroom/.DS_Store", data: Buffer.from("junk") },
    { name: "data/data/Boletus_edulis/a.jpg", data: bolete },
    { name: "data/data/Boletus_edulis/b.png", data: await img(6, "png") },
    { name: "data/data/Boletus_edulis/notes.txt", data: Buffer.from("not an image") },
    { name: "data/data/Boletus_edulis/cut.jpg", data: (await img(7)).subarray(0, 120) },
    { name: "data/data/mystery_cap/x.jpg", data: await img(8) },
    { name: "data/data/mystery_cap/y.jpg", data: await img(9) },
    { name: "data/data/unlisted_folder/z.jpg", data: await img(10) },
  ];
}

let work: string;
let folder: string;
let zipPath: string;
let zipBytes: Buffer;
const catalogs: TempCatalog[] = [];

async function seededCatalog(): Promise<TempCatalog> {
  const c = await tempCatalog("kaggle-");
  catalogs.push(c);
  await upsertSpecies(c.db, { scientificName: "Agaricus arvensis", commonNames: ["Horse mushroom"] });
  await upsertSpecies(c.db, { scientificName: "Boletus edulis", commonNames: ["Penny bun"] });
  return c;
}
const options = (c: TempCatalog, over: Partial<KaggleImportOptions>): KaggleImportOptions => ({
  storeRoot: c.store,
  concurrency: 3,
  dryRun: false,
  createSpecies: false,
  progress: new SilentProgress(),
  ...over,
});

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), "kaggle-data-"));
  folder = path.join(work, "extracted");
  const files = await datasetFiles();
  for (const f of files) {
    await mkdir(path.dirname(path.join(folder, f.name)), { recursive: true });
    await writeFile(path.join(folder, f.name), f.data);
  }
  zipBytes = zipFiles(files);
  zipPath = path.join(work, "dataset.zip");
  await writeFile(zipPath, zipBytes);
});
afterAll(async () => {
  for (const c of catalogs) await c.db.$disconnect();
});

describe("kaggle importer", () => {
  it("imports a folder: species by common or scientific name, bad files and unknown folders skipped with reasons", async () => {
    const c = await seededCatalog();
    const s = await runKaggleImport(c.db, options(c, { from: folder }));
    expect(s.photos).toEqual({ added: 5, linked: 1, existing: 0 });
    expect(s.skipped).toEqual({ "image-not-an-image": 1, "image-corrupt": 1, "unknown-species": 2, "not-listed": 1 });
    expect(await c.db.photo.count()).toBe(5);
    expect(await c.db.photoOrigin.count()).toBe(6);
    const horse = await c.db.species.findUniqueOrThrow({ where: { scientificName: "Agaricus arvensis" }, include: { photos: { include: { origins: true } } } });
    expect(horse.photos).toHaveLength(3);
    const origin = horse.photos.flatMap((p) => p.origins).find((o) => o.sourceUrl.endsWith("horse_mushroom/1.jpg"))!;
    expect(origin.sourceUrl).toBe(`kaggle://${KAGGLE_215.dataset}/horse_mushroom/1.jpg`);
    expect(origin.licence).toBe(KAGGLE_215.source.licence);
    expect(await missingFiles(c.db, c.store)).toEqual([]);

    // Again: nothing new, nothing re-read into the store.
    const again = await runKaggleImport(c.db, options(c, { from: folder }));
    expect(again.photos).toEqual({ added: 0, linked: 0, existing: 6 });
    // The zip of the same layout names the same files: also nothing new.
    const fromZip = await runKaggleImport(c.db, options(c, { from: zipPath }));
    expect(fromZip.photos).toEqual({ added: 0, linked: 0, existing: 6 });
    const runs = await c.db.scrapeRun.findMany();
    expect(runs.map((r) => r.status)).toEqual(["FINISHED", "FINISHED", "FINISHED"]);
  });

  it("imports the zip into a fresh catalog exactly as the folder", async () => {
    const a = await seededCatalog();
    const b = await seededCatalog();
    await runKaggleImport(a.db, options(a, { from: folder }));
    const s = await runKaggleImport(b.db, options(b, { from: zipPath }));
    expect(s.photos.added).toBe(5);
    expect(await snapshot(b.db)).toEqual(await snapshot(a.db));
  });

  it("links the same photos from a second source instead of copying them", async () => {
    const c = await seededCatalog();
    await runKaggleImport(c.db, options(c, { from: folder }));
    const filesBefore = (await readdir(c.store, { recursive: true })).length;
    const other = { key: "mirror", name: "A mirror", licence: "CC BY 4.0" };
    const s = await runKaggleImport(c.db, options(c, { from: zipPath, source: other, urlPrefix: "mirror://set" }));
    expect(s.photos).toEqual({ added: 0, linked: 6, existing: 0 });
    expect(await c.db.photo.count()).toBe(5);
    expect(await c.db.photoOrigin.count()).toBe(12);
    expect((await readdir(c.store, { recursive: true })).length).toBe(filesBefore);
  });

  it("--limit stops early and a rerun finishes the job", async () => {
    const c = await seededCatalog();
    const first = await runKaggleImport(c.db, options(c, { from: folder, limit: 2, concurrency: 1 }));
    expect(first.complete).toBe(false);
    expect(first.pending).toBeGreaterThan(0);
    const rest = await runKaggleImport(c.db, options(c, { from: folder }));
    expect(rest.photos.existing).toBe(2);
    expect(await c.db.photoOrigin.count()).toBe(6);
  });
});

describe("kaggle download", () => {
  it("says clearly when no credentials are configured, and reads kaggle.json", async () => {
    const empty = await mkdtemp(path.join(os.tmpdir(), "kaggle-cfg-"));
    await expect(resolveKaggleCredentials({ kaggleConfigDir: empty })).rejects.toThrow(/KAGGLE_USERNAME and KAGGLE_KEY/);
    await writeFile(path.join(empty, "kaggle.json"), JSON.stringify({ username: "u", key: "k" }));
    expect(await resolveKaggleCredentials({ kaggleConfigDir: empty })).toEqual({ username: "u", key: "k" });
    expect(await resolveKaggleCredentials({ kaggleUsername: "env", kaggleKey: "ek", kaggleConfigDir: empty })).toEqual({ username: "env", key: "ek" });
  });

  it("downloads the zip with basic auth from the API and imports it; reports refusals and unreachable hosts", async () => {
    const server = http.createServer((req, res) => {
      const ok = req.headers.authorization === `Basic ${Buffer.from("me:secret").toString("base64")}`;
      if (req.url !== `/api/v1/datasets/download/${KAGGLE_215.dataset}`) return res.writeHead(404).end();
      if (!ok) return res.writeHead(401).end("unauthorized");
      res.writeHead(200, { "content-type": "application/zip" }).end(zipBytes);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
    try {
      const c = await seededCatalog();
      const dl = (username: string, key: string, url = apiUrl) =>
        runKaggleImport(c.db, options(c, {
          download: { dir: path.join(work, "downloads"), dataset: KAGGLE_215.dataset, apiUrl: url, credentials: { kaggleUsername: username, kaggleKey: key, kaggleConfigDir: work } },
        }));
      await expect(dl("me", "wrong")).rejects.toThrow(/refused the credentials.*HTTP 401/);
      await expect(dl("me", "secret", "http://127.0.0.1:9/api/v1")).rejects.toThrow(/could not reach 127\.0\.0\.1:9/);
      const s = await dl("me", "secret");
      expect(s.photos).toEqual({ added: 5, linked: 1, existing: 0 });
      expect((await readdir(path.join(work, "downloads"))).filter((f) => f.endsWith(".part"))).toEqual([]);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
