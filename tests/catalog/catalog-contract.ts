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

    it("filters by family, genus, rank and edibility and paginates without overlap", async () => {
      const fams = await listFamilies(t.db);
      const russCount = await t.db.species.count({ where: { family: "Russulaceae", rank: "SPECIES" } });
      expect(russCount).toBeGreaterThanOrEqual(27); // the 2023 records' 27, plus the photo folders' species
      expect(fams.find((f) => f.family === "Russulaceae")?.count).toBe(russCount);
      const russ = await browseSpecies(t.db, parseBrowseQuery({ family: "Russulaceae", rank: "species" }));
      expect(russ.total).toBe(russCount);
      expect(russ.items.every((i) => i.family === "Russulaceae" && i.rank === "SPECIES")).toBe(true);
      const amanitas = await browseSpecies(t.db, parseBrowseQuery({ genus: "Amanita" }));
      expect(amanitas.items.map((i) => i.scientificName)).toEqual(expect.arrayContaining(["Amanita phalloides", "Amanita sect. Caesareae"]));
      expect(amanitas.items.every((i) => i.scientificName.startsWith("Amanita"))).toBe(true);
      const genera = await browseSpecies(t.db, parseBrowseQuery({ rank: "GENUS", q: "trametes" }));
      expect(genera.items.map((i) => [i.scientificName, i.rank])).toEqual([["Trametes", "GENUS"]]);
      const p1 = await browseSpecies(t.db, parseBrowseQuery({}));
      const p2 = await browseSpecies(t.db, parseBrowseQuery({ page: "2" }));
      expect(p1.items).toHaveLength(PAGE_SIZE);
      expect(p1.pages).toBe(Math.ceil((await t.db.species.count()) / PAGE_SIZE));
      expect(p1.items.some((a) => p2.items.some((b) => b.slug === a.slug))).toBe(false);
      const unknown = await browseSpecies(t.db, parseBrowseQuery({ edibility: "UNKNOWN" }));
      expect(unknown.total).toBe(await t.db.species.count({ where: { edibility: "UNKNOWN" } }));
    });

    it("keeps a known edibility when a source without edibility data re-imports the species", async () => {
      const before = await speciesBySlug(t.db, "amanita-phalloides");
      await upsertSpecies(t.db, { scientificName: "amanita_phalloides", edibility: "UNKNOWN", commonNames: ["death cap"] });
      const s = await speciesBySlug(t.db, "amanita-phalloides");
      expect(s?.edibility).toBe("DEADLY");
      expect(s?.edibilitySource).toBe(before?.edibilitySource);
      expect(s?.commonNames.map((c) => c.name)).toContain("Death cap");
      expect((await browseSpecies(t.db, parseBrowseQuery({ q: "death cap" }))).items.map((i) => i.slug)).toContain("amanita-phalloides");
    });

    // Review finding 3: crawling a page that says "edible" turned Clitocybe nebularis from POISONOUS to EDIBLE.
    it("never lets a later source lower a cited class; the disagreement is recorded", async () => {
      const src = await upsertSource(t.db, { key: "test-crawl", name: "A crawled site", licence: "test" });
      const before = await speciesBySlug(t.db, "clitocybe-nebularis");
      expect(before?.edibility).toBe("POISONOUS");
      await upsertSpecies(t.db, { scientificName: "Clitocybe nebularis", edibility: "EDIBLE", edibilitySource: "A crawled page" }, { sourceId: src, sourceUrl: "https://example.org/nebularis" });
      const after = await speciesBySlug(t.db, "clitocybe-nebularis");
      expect(after?.edibility).toBe("POISONOUS");
      expect(after?.edibilitySource).toBe(before?.edibilitySource);
      expect(after?.claims.map((c) => [c.sourceKey, c.edibility])).toEqual(expect.arrayContaining([["test-crawl", "EDIBLE"]]));
      // A more dangerous claim does raise it.
      await upsertSpecies(t.db, { scientificName: "Boletus edulis", edibility: "POISONOUS", edibilitySource: "A cautious page" }, { sourceId: src });
      expect((await speciesBySlug(t.db, "boletus-edulis"))?.edibility).toBe("POISONOUS");
    });

    it("resolves outdated names: a synonym finds the accepted taxon in search and in ingest", async () => {
      for (const [q, slug] of [
        ["Boletus badius", "imleria-badia"],
        ["coprinus atramentarius", "coprinopsis-atramentaria"],
        ["Lepista nuda", "clitocybe-nuda"],
        ["Macrolepiota rachodes", "chlorophyllum-rhacodes"],
      ]) {
        expect((await browseSpecies(t.db, parseBrowseQuery({ q }))).items.map((i) => i.slug), q).toContain(slug);
      }
      const before = await t.db.species.count();
      const r = await upsertSpecies(t.db, { scientificName: "boletus_badius", commonNames: ["bay bolete"] });
      expect(r.slug).toBe("imleria-badia");
      expect(await t.db.species.count()).toBe(before);
      const bay = await speciesBySlug(t.db, "imleria-badia");
      expect(bay?.synonyms.map((x) => x.name)).toContain("Boletus badius");
      expect(bay?.parent?.slug).toBe("imleria");
    });

    it("has genus rows listing their members, with the genus's danger claim", async () => {
      const amanita = await speciesBySlug(t.db, "amanita");
      expect(amanita?.rank).toBe("GENUS");
      expect(amanita?.family).toBe("Amanitaceae");
      expect(amanita?.edibility).toBe("DEADLY");
      expect(amanita?.children.map((c) => c.slug)).toEqual(expect.arrayContaining(["amanita-phalloides", "amanita-muscaria"]));
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
