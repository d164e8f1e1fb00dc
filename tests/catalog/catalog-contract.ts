// The catalog behaviour every database must show; run against SQLite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browseSpecies, listFamilies, parseBrowseQuery, speciesBySlug, PAGE_SIZE } from "../../lib/catalog/browse";
import { linkLookalike, upsertSource, upsertSpecies } from "../../lib/catalog/ingest";
import { seedCatalog } from "../../lib/catalog/seed/seed";
import { settings } from "../../lib/settings";
import type { TempCatalog } from "../support/temp-db";

export function catalogContract(name: string, open: () => Promise<TempCatalog>) {
  describe(`catalog on ${name}`, () => {
    let t: TempCatalog;
    beforeAll(async () => {
      t = await open();
      await seedCatalog(t.db, settings().dataDir, () => {});
    });
    afterAll(async () => t?.cleanup());

    it("seeds the 203 real species plus the deadly ones they lack, and a second seed changes nothing", async () => {
      const total = await t.db.species.count();
      expect(await t.db.speciesRecord.count({ where: { source: { key: "mushroom-world" } } })).toBe(203);
      expect(total).toBeGreaterThan(203);
      const ocreata = await speciesBySlug(t.db, "amanita-ocreata");
      expect(ocreata?.edibility).toBe("DEADLY");
      expect(ocreata?.edibilitySourceUrl).toMatch(/^https?:\/\//);
      const names = await t.db.commonName.count();
      const again = await seedCatalog(t.db, settings().dataDir, () => {});
      expect(again.created).toBe(0);
      expect(await t.db.species.count()).toBe(total);
      expect(await t.db.commonName.count()).toBe(names);
      expect(await t.db.lookalike.count()).toBeGreaterThan(20);
    });

    it("finds the horse mushroom by common name, scientific name, any case and word order", async () => {
      for (const q of ["horse mushroom", "Agaricus arvensis", "HORSE", "arvensis agaricus"]) {
        const r = await browseSpecies(t.db, parseBrowseQuery({ q }));
        expect(r.items.map((i) => i.slug), q).toContain("agaricus-arvensis");
      }
      const s = await speciesBySlug(t.db, "agaricus-arvensis");
      expect(s?.family).toBe("Agaricaceae");
      expect(s?.commonNames.map((c) => c.name)).toContain("Horse mushroom");
      expect(s?.edibilitySource).toBeTruthy();
    });

    it("treats SQL-ish and absurd input as plain text and answers empty, not an error", async () => {
      for (const q of ["'; DROP TABLE \"Species\"; --", "%", "_", "\\", "a".repeat(5000), "\u0000"]) {
        const r = await browseSpecies(t.db, parseBrowseQuery({ q }));
        expect(r.total, JSON.stringify(q.slice(0, 20))).toBeGreaterThanOrEqual(0);
      }
      expect((await browseSpecies(t.db, parseBrowseQuery({ q: "agar%cus" }))).total).toBe(0);
      expect((await browseSpecies(t.db, parseBrowseQuery({ q: "a_aricus" }))).total).toBe(0);
      expect(await t.db.species.count()).toBeGreaterThan(203);
      const far = await browseSpecies(t.db, parseBrowseQuery({ page: "99999999999" }));
      expect(far.page).toBe(1); // out of range numbers are dropped to the first page
      const past = await browseSpecies(t.db, parseBrowseQuery({ page: "500" }));
      expect(past.items).toEqual([]);
      expect(await speciesBySlug(t.db, "../../etc/passwd")).toBeNull();
      expect(await speciesBySlug(t.db, "no-such-species")).toBeNull();
    });

    it("filters by family and edibility and paginates without overlap", async () => {
      const fams = await listFamilies(t.db);
      expect(fams.find((f) => f.family === "Russulaceae")?.count).toBe(27); // as in the 2023 records
      const russ = await browseSpecies(t.db, parseBrowseQuery({ family: "Russulaceae" }));
      expect(russ.total).toBe(27);
      expect(russ.items.every((i) => i.family === "Russulaceae")).toBe(true);
      const p1 = await browseSpecies(t.db, parseBrowseQuery({}));
      const p2 = await browseSpecies(t.db, parseBrowseQuery({ page: "2" }));
      expect(p1.items).toHaveLength(PAGE_SIZE);
      expect(p1.pages).toBe(Math.ceil((await t.db.species.count()) / PAGE_SIZE));
      expect(p1.items.some((a) => p2.items.some((b) => b.slug === a.slug))).toBe(false);
      const unknown = await browseSpecies(t.db, parseBrowseQuery({ edibility: "UNKNOWN" }));
      expect(unknown.total).toBe(await t.db.species.count({ where: { edibility: "UNKNOWN" } }));
    });

    it("keeps a known edibility when a source without edibility data re-imports the species", async () => {
      const src = await upsertSource(t.db, { key: "test-guide", name: "Test guide", licence: "test" });
      await upsertSpecies(t.db, { scientificName: "Amanita phalloides", edibility: "DEADLY", edibilitySource: "Test guide" }, { sourceId: src });
      await upsertSpecies(t.db, { scientificName: "amanita_phalloides", edibility: "UNKNOWN", commonNames: ["death cap"] });
      const s = await speciesBySlug(t.db, "amanita-phalloides");
      expect(s?.edibility).toBe("DEADLY");
      expect(s?.edibilitySource).toBe("Test guide");
      expect(s?.commonNames.map((c) => c.name)).toContain("Death cap");
      expect((await browseSpecies(t.db, parseBrowseQuery({ q: "death cap" }))).items[0]?.slug).toBe("amanita-phalloides");
    });

    it("links lookalikes idempotently and refuses unknown species", async () => {
      const before = await t.db.lookalike.count();
      expect(await linkLookalike(t.db, "Mycena pura", "Laccaria laccata", "test link")).toBe(true);
      expect(await linkLookalike(t.db, "Mycena pura", "Laccaria laccata", "test link")).toBe(true);
      expect(await linkLookalike(t.db, "Mycena pura", "Nonexistent thing")).toBe(false);
      expect(await t.db.lookalike.count()).toBe(before + 1);
      const laccaria = await speciesBySlug(t.db, "laccaria-laccata");
      expect(laccaria?.lookalikeOf.map((l) => l.from.slug)).toContain("mycena-pura");
    });
  });
}
