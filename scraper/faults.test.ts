// Fault injection on the fixture site: every failure mode is handled by its error type and the catalog
// stays consistent (no photo without an origin or files, nothing half-written, skipped tasks say why).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acceptedName } from "../lib/taxonomy/index.ts";
import { settings } from "../lib/settings";
import { crawl } from "./core/crawl";
import { SilentProgress } from "./core/progress";
import { POLITE_DEFAULTS, PoliteFetcher } from "./http/fetcher";
import { mushroomWorldSource } from "./sources/mushroom-world/source";
import { loadFixtureSite, type FixtureSite } from "./testing/fixture-site";
import { DEFAULT_ROBOTS, startFixtureServer, type Fault, type FixtureServer } from "./testing/fixture-server";
import { missingFiles, tempCatalog, type TempCatalog } from "./testing/temp-catalog";

let site: FixtureSite;
let server: FixtureServer;
let c: TempCatalog;
const faults: Record<string, Fault> = {};
const show = (i: number) => `/show?n=${site.species[i].slug}`;
const photo = (i: number, j = 0) => site.species[i].photoPaths[j];

const fetcher = () =>
  new PoliteFetcher({ ...POLITE_DEFAULTS, userAgent: "test", delayMs: 0, concurrencyPerHost: 4, timeoutMs: 600, retries: 2, retryBaseMs: 20 });

beforeAll(async () => {
  const all = await loadFixtureSite(settings().dataDir);
  site = { species: all.species.slice(0, 12), photoCount: 0, realPhotos: all.realPhotos };
  site.photoCount = site.species.reduce((n, s) => n + s.photoPaths.length, 0);
  expect(site.species.slice(6, 11).every((s) => s.photoPaths.length >= 2)).toBe(true);
  Object.assign(faults, {
    [show(0)]: "not-found",
    [show(1)]: "malformed",
    [show(2)]: "throttle-once",
    [show(3)]: "slow-once",
    [photo(5)]: "error-once",
    [photo(6)]: "truncated",
    [photo(7)]: "html-instead",
    [photo(8)]: "not-found",
    [photo(9)]: "error-always",
    [photo(10)]: "slow-once",
    [photo(11)]: "huge-pixels",
  } satisfies Record<string, Fault>);
  server = await startFixtureServer(site, {
    faults,
    slowMs: 2000,
    robots: `${DEFAULT_ROBOTS}Disallow: ${show(4)}\n`,
    edibility: (name) => (name === site.species[11].species.scientificName ? "poisonous" : undefined),
  });
  c = await tempCatalog("faults-");
});
afterAll(async () => {
  await c?.db.$disconnect();
  await server?.close();
});

describe("crawl under faults", () => {
  it("skips what cannot work, retries what can, and leaves a consistent catalog", async () => {
    const s = await crawl(c.db, mushroomWorldSource(server.url), fetcher(), { concurrency: 4, dryRun: false, recrawl: false, storeRoot: c.store }, new SilentProgress());
    expect(s.skipped).toEqual({ "http-404": 2, parse: 1, robots: 1, "image-corrupt": 1, "image-not-an-image": 1, "image-too-many-pixels": 1 });
    expect(s.failed).toEqual({ "http-500": 1 });
    expect(s.complete).toBe(false);
    // Species: 12 minus the 404, the malformed page and the disallowed one.
    const names = (await c.db.species.findMany({ where: { rank: "SPECIES" } })).map((x) => x.scientificName).sort();
    const expected = site.species.filter((_, i) => ![0, 1, 4].includes(i)).map((x) => acceptedName(x.species.scientificName)).sort();
    expect(names).toEqual(expected);
    expect(server.requests.get(show(4))).toBeUndefined(); // robots.txt was obeyed
    expect(server.requests.get(show(2))).toBe(2); // 429 then success
    expect(server.requests.get(photo(5))).toBe(2); // 500 then success
    expect(server.requests.get(photo(9))).toBe(3); // 500 three times
    expect(server.requests.get(show(3))).toBe(2); // timed out, then fine
    expect(server.requests.get(photo(10))).toBe(2);
    // Old-style edibility data is mapped; the no-data notice leaves UNKNOWN.
    const poisonous = await c.db.species.findUniqueOrThrow({ where: { scientificName: site.species[11].species.scientificName } });
    expect(poisonous.edibility).toBe("POISONOUS");
    expect((await c.db.species.findUniqueOrThrow({ where: { scientificName: site.species[2].species.scientificName } })).edibility).toBe("UNKNOWN");

    const photosOfLanded = site.species.filter((_, i) => ![0, 1, 4].includes(i)).reduce((n, x) => n + x.photoPaths.length, 0);
    const bad = [photo(6), photo(7), photo(8), photo(9), photo(11)];
    const origins = await c.db.photoOrigin.findMany();
    expect(origins).toHaveLength(photosOfLanded - bad.length);
    expect(origins.map((o) => new URL(o.sourceUrl).pathname).filter((p) => bad.includes(p))).toEqual([]);
    expect(await c.db.photo.count({ where: { origins: { none: {} } } })).toBe(0);
    expect(await c.db.photo.count()).toBe(origins.length);
    expect(await missingFiles(c.db, c.store)).toEqual([]);
    const skipped = await c.db.crawlTask.findMany({ where: { status: "SKIPPED" } });
    expect(skipped.every((t) => t.lastError && t.lastError.length > 0)).toBe(true);
    expect(skipped.find((t) => t.url.endsWith(photo(6)))?.lastError).toMatch(/^image-corrupt/);
  });

  it("a rerun retries the failed photo once the server recovers, and refetches nothing else", async () => {
    delete faults[photo(9)];
    const before = new Map(server.requests);
    const s = await crawl(c.db, mushroomWorldSource(server.url), fetcher(), { concurrency: 4, dryRun: false, recrawl: false, storeRoot: c.store }, new SilentProgress());
    expect(s).toMatchObject({ complete: true, photos: { added: 1 }, failed: {} });
    const changed = [...server.requests].filter(([p, n]) => before.get(p) !== n).map(([p]) => p);
    expect(changed.sort()).toEqual([photo(9), "/robots.txt"].sort());
    expect(await c.db.crawlTask.count({ where: { status: { in: ["PENDING", "FAILED"] } } })).toBe(0);
  });

  it("--dry-run parses pages and writes nothing; --limit caps the requests", async () => {
    const dry = await tempCatalog("dry-");
    const s = await crawl(dry.db, mushroomWorldSource(server.url), fetcher(), { concurrency: 2, dryRun: true, recrawl: false, storeRoot: dry.store }, new SilentProgress());
    expect(s.pages).toBe(1 + 9);
    expect(s.species.created).toBe(9);
    expect(s.skipped["dry-run"]).toBeGreaterThan(0);
    expect(await dry.db.species.count()).toBe(0);
    expect(await dry.db.crawlTask.count()).toBe(0);
    expect(await dry.db.scrapeRun.count()).toBe(0);

    const limited = await crawl(dry.db, mushroomWorldSource(server.url), fetcher(), { concurrency: 2, limit: 3, dryRun: false, recrawl: false, storeRoot: dry.store }, new SilentProgress());
    expect(limited.complete).toBe(false);
    expect(limited.stoppedBy).toBe("limit 3");
    expect(await dry.db.crawlTask.count({ where: { status: { not: "PENDING" } } })).toBe(3);
    await dry.db.$disconnect();
  });
});
