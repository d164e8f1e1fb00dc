// The seed's photo import: every photo under the taxon its label names, with its own credit; skips only exact
// duplicates and undecodable files, each listed with its reason; re-running adds nothing.
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, describe, expect, it } from "vitest";
import { settings } from "../../settings";
import { seedCatalog } from "../seed/seed";
import { importPhotoFolders } from "./photo-folders";
import { readSpeciesCard } from "../../../models/card/species-card.ts";
import { reproduceSpeciesCard } from "../../../models/train/species-evaluate.ts";
import { tempCatalog, type TempCatalog } from "../../../scraper/testing/temp-catalog";

const open: TempCatalog[] = [];
afterAll(async () => Promise.all(open.map((c) => c.db.$disconnect())));

const jpeg = (g: number) => sharp({ create: { width: 40, height: 30, channels: 3, background: { r: 10, g, b: 40 } } }).jpeg().toBuffer();

async function put(root: string, rel: string, bytes: Buffer | string) {
  await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
  await writeFile(path.join(root, rel), bytes);
}

describe("importPhotoFolders", () => {
  it("imports every photo under its accepted taxon with per-photo credit, and reports each skip", async () => {
    const data = await mkdtemp(path.join(os.tmpdir(), "folders-"));
    // Mushroom Observer style: scientific labels (one outdated), per-photo attribution.csv.
    await put(data, "mo/SOURCE.json", JSON.stringify({ name: "Mushroom Observer", licence: "per photo", homepage: "https://mushroomobserver.org" }));
    await put(data, "mo/agaricus_arvensis/a1.jpg", await jpeg(10));
    await put(data, "mo/agaricus_arvensis/a2.jpg", await jpeg(20));
    await put(data, "mo/boletus_badius/b1.jpg", await jpeg(30));
    await put(
      data,
      "mo/attribution.csv",
      "staged_file,source_url,photographer,license_url\n" +
        "agaricus_arvensis/a1.jpg,https://mushroomobserver.org/images/640/1.jpg,Nathan Wilson,http://creativecommons.org/licenses/by-sa/3.0/\n" +
        "agaricus_arvensis/a2.jpg,https://mushroomobserver.org/images/640/2.jpg,Alice,https://creativecommons.org/licenses/by-nc-sa/4.0/\n",
    );
    // Kaggle-215 style: common-name labels resolved by the cited table; a duplicate and a broken file.
    await put(data, "kaggle-215-sample/SOURCE.json", JSON.stringify({ name: "Kaggle 215", licence: "PDDL-1.0 (unverified)" }));
    await put(data, "kaggle-215-sample/bay_bolete/k1.jpg", await jpeg(40));
    await put(data, "kaggle-215-sample/deathcap/k2.jpg", await jpeg(10)); // same bytes as mo/agaricus_arvensis/a1.jpg
    await put(data, "kaggle-215-sample/deathcap/k3.jpg", (await jpeg(50)).subarray(0, 200)); // truncated
    // Higher-rank labels stay at their rank.
    await put(data, "mo13/Trametes/t1.jpg", await jpeg(60));
    await put(data, "mo13/Amanita sect. Caesareae/c1.jpg", await jpeg(70));
    await mkdir(path.join(data, "mushroom-world-2023"));

    const c = await tempCatalog("folders-");
    open.push(c);
    const reports = await importPhotoFolders(c.db, data, c.store);
    const by = Object.fromEntries(reports.map((r) => [r.folder, r]));
    expect(reports.flatMap((r) => r.unresolvedLabels)).toEqual([]);
    expect(by["kaggle-215-sample"]!.labels).toEqual({ bay_bolete: "Imleria badia", deathcap: "Amanita phalloides" });
    expect(by.mo!.labels.boletus_badius).toBe("Imleria badia");
    expect(by.mo13!.labels).toEqual({ Trametes: "Trametes", "Amanita sect. Caesareae": "Amanita sect. Caesareae" });
    // Folders import in name order: kaggle-215-sample first, so mo's a1 is the duplicate.
    expect(by["kaggle-215-sample"]!.skipped).toEqual([{ file: "deathcap/k3.jpg", reason: "undecodable", detail: expect.stringMatching(/corrupt/) }]);
    expect(by.mo!.skipped).toEqual([
      { file: "agaricus_arvensis/a1.jpg", reason: "duplicate", detail: expect.stringContaining("folder://kaggle-215-sample/deathcap/k2.jpg") },
    ]);
    expect(reports.reduce((n, r) => n + r.added, 0)).toBe(6);

    const photo = async (url: string) =>
      c.db.photoOrigin.findUniqueOrThrow({ where: { sourceId_sourceUrl: { sourceId: (await c.db.dataSource.findUniqueOrThrow({ where: { key: url.split("/")[2] === "mo" ? "folder-mo" : `folder-${url.split("/")[2]}` } })).id, sourceUrl: url } }, include: { photo: { include: { species: true } } } });
    const a1 = await photo("folder://mo/agaricus_arvensis/a1.jpg");
    expect(a1).toMatchObject({ photographer: "Nathan Wilson", licenceCode: "CC BY-SA 3.0", nonCommercial: false, originalUrl: "https://mushroomobserver.org/images/640/1.jpg" });
    expect(a1.attribution).toBe("© Nathan Wilson · CC BY-SA 3.0 · Mushroom Observer");
    expect(await photo("folder://mo/agaricus_arvensis/a2.jpg")).toMatchObject({ licenceCode: "CC BY-NC-SA 4.0", nonCommercial: true });
    const k1 = await photo("folder://kaggle-215-sample/bay_bolete/k1.jpg");
    expect(k1.photo.species.scientificName).toBe("Imleria badia");
    expect(k1.licenceCode).toBe("PDDL-1.0 (unverified)");
    // The duplicate keeps its first taxon and gains the second origin.
    expect((await photo("folder://kaggle-215-sample/deathcap/k2.jpg")).photo.id).toBe(a1.photo.id);
    expect(a1.photo.species.scientificName).toBe("Amanita phalloides");
    const caes = await c.db.species.findUniqueOrThrow({ where: { scientificName: "Amanita sect. Caesareae" }, include: { parent: true } });
    expect([caes.rank, caes.parent?.scientificName]).toEqual(["SECTION", "Amanita"]);

    const again = await importPhotoFolders(c.db, data, c.store);
    expect(again.reduce((n, r) => n + r.added, 0)).toBe(0);
    expect(again.find((r) => r.folder === "mo")!.existing).toBe(3);
  });

  it.skipIf(!existsSync(path.join(settings().dataDir, "kaggle-215-sample")))(
    "imports all of ../shared/data: no label unresolved, nothing skipped for its name",
    async () => {
      const c = await tempCatalog("full-seed-");
      open.push(c);
      await seedCatalog(c.db, settings().dataDir, () => {});
      const reports = await importPhotoFolders(c.db, settings().dataDir, c.store);
      expect(reports.flatMap((r) => r.unresolvedLabels)).toEqual([]);
      const files = reports.reduce((n, r) => n + r.files, 0);
      expect(files).toBeGreaterThanOrEqual(2142);
      const skipped = reports.flatMap((r) => r.skipped);
      expect(skipped.every((s) => s.reason === "duplicate" || s.reason === "undecodable")).toBe(true);
      expect(await c.db.photoOrigin.count()).toBe(files - skipped.filter((s) => s.reason === "undecodable").length);
      expect(await c.db.photo.count()).toBe(files - skipped.length);
      // Credits: every Mushroom Observer 152 photo names its photographer; NC photos are marked.
      const mo = await c.db.photoOrigin.findMany({ where: { source: { key: "folder-mushroom-observer-152" } } });
      expect(mo.every((o) => o.licenceCode?.startsWith("CC") && o.originalUrl?.startsWith("https://"))).toBe(true);
      expect(mo.filter((o) => o.photographer).length).toBe(mo.length - 4); // attribution.csv names no photographer for 4
      expect(mo.filter((o) => o.nonCommercial)).toHaveLength(2);
      // Labels above species stay there; genus-only photos hang under genus rows.
      expect(await c.db.photo.count({ where: { species: { scientificName: "Trametes", rank: "GENUS" } } })).toBeGreaterThan(10);
      // The shipped species model gives exactly its card's held-out numbers on this catalog (model:evaluate).
      const cardFile = path.resolve("models/card/mushroom-species/card.json");
      if (existsSync(cardFile) && existsSync(path.resolve("public/models/mushroom-species.onnx"))) {
        const r = await reproduceSpeciesCard(readSpeciesCard(cardFile), path.dirname(cardFile), c.db, c.store);
        expect(r.mismatches).toEqual([]);
      }
    },
    600_000,
  );
});
