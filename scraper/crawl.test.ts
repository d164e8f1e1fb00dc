// End-to-end crawls against the local fixture mushroom.world (real HTTP on 127.0.0.1, no fetch mocks):
// a full crawl, a re-run, and a SIGKILL mid-crawl followed by a resume that must equal the full crawl.
import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { settings } from "../lib/settings";
import { crawl, type CrawlOptions } from "./core/crawl";
import { SilentProgress } from "./core/progress";
import { POLITE_DEFAULTS, PoliteFetcher } from "./http/fetcher";
import { mushroomWorldSource } from "./sources/mushroom-world/source";
import { loadFixtureSite, type FixtureSite } from "./testing/fixture-site";
import { startFixtureServer, type FixtureServer } from "./testing/fixture-server";
import { readFile } from "node:fs/promises";
import { sha256Hex } from "../lib/photos/store";
import { missingFiles, snapshot, tempCatalog, type CatalogSnapshot, type TempCatalog } from "./testing/temp-catalog";

let site: FixtureSite;
let server: FixtureServer;
let reference: TempCatalog;
let referenceSnapshot: CatalogSnapshot;

const fastFetcher = () => new PoliteFetcher({ ...POLITE_DEFAULTS, userAgent: "test", delayMs: 0, concurrencyPerHost: 4, timeoutMs: 5000, retryBaseMs: 10 });
const opts = (store: string, over: Partial<CrawlOptions> = {}): CrawlOptions => ({ concurrency: 4, dryRun: false, recrawl: false, storeRoot: store, ...over });
/** Wait until no process of the group is left (the script's node process dies with its tsx parent). */
async function groupGone(pgid: number): Promise<void> {
  for (;;) {
    try {
      process.kill(-pgid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
const photoHits = () => new Map([...server.requests].filter(([p]) => p.startsWith("/data/")));

beforeAll(async () => {
  site = await loadFixtureSite(settings().dataDir);
  server = await startFixtureServer(site);
  reference = await tempCatalog();
});
afterAll(async () => {
  await reference?.db.$disconnect();
  await server?.close();
});

describe("mushroom-world crawl of the fixture site", () => {
  it("lands every species and photo from the 2023 records", async () => {
    expect(site.species).toHaveLength(203);
    expect(site.photoCount).toBe(1034);
    const { db, store } = reference;
    const summary = await crawl(db, mushroomWorldSource(server.url), fastFetcher(), opts(store), new SilentProgress());
    expect(summary).toMatchObject({ complete: true, pages: 204, species: { created: 203 }, photos: { added: 1034, linked: 0 }, skipped: {}, failed: {} });
    expect(await db.species.count({ where: { rank: "SPECIES" } })).toBe(203);
    expect(await db.species.count({ where: { rank: "GENUS" } })).toBe(104); // each species hangs under its genus row
    expect(await db.photo.count()).toBe(1034);
    expect(await db.photoOrigin.count()).toBe(1034);
    expect(await db.crawlTask.count({ where: { status: { not: "DONE" } } })).toBe(0);
    expect(await missingFiles(db, store)).toEqual([]);
    const run = await db.scrapeRun.findFirstOrThrow({ orderBy: { id: "desc" } });
    expect(run.status).toBe("FINISHED");
    expect(JSON.parse(run.summary ?? "{}")).toMatchObject({ species: { created: 203 }, photos: { added: 1034 } });
    // Facts from the page, photos under their species.
    const horse = await db.species.findUniqueOrThrow({ where: { scientificName: "Agaricus arvensis" }, include: { commonNames: true, photos: true } });
    expect(horse.family).toBe("Agaricaceae");
    expect(horse.commonNames.map((c) => c.name)).toEqual(["Horse mushroom"]);
    expect(horse.edibility).toBe("UNKNOWN");
    expect(horse.photos.length).toBe(site.species.find((s) => s.species.scientificName === "Agaricus arvensis")!.photoPaths.length);
    // The mirror serves the real photos: the same bytes (so the same content hash) as the seed's photo folder.
    expect(site.realPhotos.size).toBe(597);
    const [url, file] = [...site.realPhotos].find(([u]) => u.includes("Agaricusarvensis"))!;
    const stored = await db.photoOrigin.findFirstOrThrow({ where: { sourceUrl: { endsWith: url } }, include: { photo: true } });
    expect(stored.photo.contentHash).toBe(sha256Hex(await readFile(file)));
    // A 2023 name that is now a synonym (Collybia dryophila) lands on the accepted taxon and stays searchable.
    expect(site.species.some((s) => s.species.scientificName === "Collybia dryophila")).toBe(true);
    const renamed = await db.species.findUniqueOrThrow({ where: { scientificName: "Gymnopus dryophilus" }, include: { synonyms: true } });
    expect(renamed.synonyms.map((s) => s.name)).toContain("Collybia dryophila");
    referenceSnapshot = await snapshot(db);
  });

  it("a second run with --recrawl refetches pages but no stored photo, and changes nothing", async () => {
    const before = photoHits();
    const summary = await crawl(reference.db, mushroomWorldSource(server.url), fastFetcher(), opts(reference.store, { recrawl: true }), new SilentProgress());
    expect(summary).toMatchObject({ complete: true, pages: 204, species: { created: 0, updated: 203 }, photos: { added: 0 } });
    expect(photoHits()).toEqual(before);
    expect(await snapshot(reference.db)).toEqual(referenceSnapshot);
  });

  it("after a SIGKILL mid-crawl, a rerun ends equal to the uninterrupted run, refetching no finished photo", async () => {
    const killed = await tempCatalog();
    const cli = (onLine?: (line: string, stop: () => void) => void) =>
      new Promise<number | null>((resolve, reject) => {
        const child = spawn(
          path.resolve("node_modules/.bin/tsx"),
          ["scraper/cli.ts", "mushroom-world", "--base-url", server.url, "--delay-ms", "0", "--concurrency", "4", "--retry-base-ms", "10",
            "--database-url", killed.url, "--photo-store", killed.store],
          // Its own process group: tsx runs the script in a child node process, and the kill must reach it.
          { stdio: ["ignore", "pipe", "pipe"], detached: true },
        );
        const killGroup = () => process.kill(-child.pid!, "SIGKILL");
        let buf = "";
        child.stdout.on("data", (d: Buffer) => {
          buf += d.toString();
          const lines = buf.split("\n");
          buf = lines.pop() ?? "";
          for (const l of lines) onLine?.(l, killGroup);
        });
        child.on("error", reject);
        child.on("exit", async (code, signal) => {
          if (signal !== "SIGKILL") return resolve(code);
          await groupGone(child.pid!);
          resolve(null);
        });
      });

    let added = 0;
    const exit = await cli((line, stop) => {
      if (/photo added/.test(line) && ++added === 300) stop();
    });
    expect(exit).toBeNull(); // it really was killed
    const atKill = await snapshot(killed.db);
    expect(atKill.origins.length).toBeGreaterThanOrEqual(300);
    expect(atKill.origins.length).toBeLessThan(1034);
    // Nothing of the killed run is still writing.
    await new Promise((r) => setTimeout(r, 1000));
    expect(await killed.db.photoOrigin.count()).toBe(atKill.origins.length);
    const runAtKill = await killed.db.scrapeRun.findFirstOrThrow({ orderBy: { id: "desc" } });
    expect(runAtKill.status).toBe("RUNNING");
    const hitsAtKill = photoHits();

    expect(await cli()).toBe(0);
    expect(await snapshot(killed.db)).toEqual(referenceSnapshot);
    expect(await missingFiles(killed.db, killed.store)).toEqual([]);
    // Photos finished before the kill were not downloaded again.
    const hitsAfter = photoHits();
    for (const o of atKill.origins) {
      const p = new URL(o.sourceUrl).pathname;
      expect(hitsAfter.get(p), p).toBe(hitsAtKill.get(p));
    }
    const runs = await killed.db.scrapeRun.findMany({ orderBy: { id: "asc" } });
    expect(runs.map((r) => r.status)).toEqual(["FAILED", "FINISHED"]);
    await killed.db.$disconnect();
  });
});
