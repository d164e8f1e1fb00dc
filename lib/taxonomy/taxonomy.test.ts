import { readdirSync, existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { settings } from "../settings";
import { acceptedName, allTaxa, buildTaxonomy, folderLabel, folderLabels, genusOf, membersOf, resolveAnyName, resolveTaxon } from "./index.ts";

const DATA = settings().dataDir;
const PHOTO_FOLDERS = ["kaggle-215-sample", "mushroom-world-photos", "mushroom-observer-152", "mushroom-observer-13"];
const labelsOf = (folder: string) =>
  readdirSync(path.join(DATA, folder), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name);

describe("taxonomy table", () => {
  it.each(PHOTO_FOLDERS.filter((f) => existsSync(path.join(DATA, f))))("maps every label of %s to a taxon with a cited source", (folder) => {
    const missing = labelsOf(folder).filter((l) => !folderLabel(folder, l));
    expect(missing).toEqual([]);
    for (const l of labelsOf(folder)) {
      const m = folderLabel(folder, l)!;
      expect(resolveTaxon(m.taxon)?.name, `${folder}/${l}`).toBe(m.taxon);
      expect(m.source.url).toMatch(/^https?:\/\//);
    }
  });

  it("maps Kaggle-215 common names to scientific names", () => {
    expect(folderLabel("kaggle-215-sample", "bay_bolete")?.taxon).toBe("Imleria badia");
    expect(folderLabel("kaggle-215-sample", "deathcap")?.taxon).toBe("Amanita phalloides");
    expect(folderLabel("kaggle-215-sample", "penny_bun")?.taxon).toBe("Boletus edulis");
    expect(folderLabel("kaggle-215-sample", "chicken_of_the_woods")?.taxon).toBe("Laetiporus sulphureus");
    expect(resolveAnyName("horse mushroom")?.name).toBe("Agaricus arvensis");
  });

  it("resolves outdated names to the accepted one and keeps them as synonyms", () => {
    const pairs: [string, string][] = [
      ["Boletus badius", "Imleria badia"],
      ["Coprinus atramentarius", "Coprinopsis atramentaria"],
      ["Macrolepiota rachodes", "Chlorophyllum rhacodes"],
      ["Lactarius volemus", "Lactifluus volemus"],
      ["Polyporus squamosus", "Cerioporus squamosus"],
      ["lepista_nuda", "Clitocybe nuda"],
    ];
    for (const [old, accepted] of pairs) {
      expect(acceptedName(old), old).toBe(accepted);
      expect(resolveTaxon(accepted)!.synonyms.map((s) => s.toLowerCase())).toContain(old.replace("_", " ").toLowerCase());
    }
  });

  it("keeps labels above species rank at their own rank, never forced onto a species", () => {
    const want: [string, string, string][] = [
      ["Hymenopellis", "Hymenopellis", "genus"],
      ["Parasola", "Parasola", "genus"],
      ["Trametes", "Trametes", "genus"],
      ["Xerocomellus", "Xerocomellus", "genus"],
      ["Amanita sect. Caesareae", "Amanita sect. Caesareae", "section"],
      ["Pluteus cervinus group", "Pluteus cervinus group", "group"],
    ];
    for (const [label, taxon, rank] of want) {
      const t = resolveTaxon(folderLabel("mushroom-observer-13", label)!.taxon)!;
      expect([t.name, t.rank]).toEqual([taxon, rank]);
    }
    expect(resolveTaxon(folderLabel("kaggle-215-sample", "earthballs")!.taxon)?.rank).toBe("genus");
  });

  it("walks up to the genus, which has a family, and lists its members", () => {
    const amanita = genusOf(resolveTaxon("Amanita phalloides")!)!;
    expect(amanita).toMatchObject({ name: "Amanita", rank: "genus", family: "Amanitaceae" });
    expect(membersOf("Amanita").map((t) => t.name)).toEqual(expect.arrayContaining(["Amanita phalloides", "Amanita sect. Caesareae"]));
    expect(resolveTaxon("Amanita sp.")?.name).toBe("Amanita");
    for (const t of allTaxa()) if (t.rank !== "genus" && t.rank !== "family") expect(genusOf(t), t.name).toBeDefined();
  });

  it("refuses a table where one name would resolve to two taxa, or a label to no taxon", () => {
    const t = (name: string, synonyms: string[] = []) => ({ name, rank: "species", genus: name.split(" ")[0], family: "Boletaceae", synonyms, commonNames: [] });
    expect(() => buildTaxonomy([t("Boletus edulis"), t("Boletus pinophilus", ["Boletus edulis"])])).toThrow(/names both/);
    expect(() => buildTaxonomy([t("Boletus edulis")], [{ folder: "f", label: "x", taxon: "Boletus regius", source: { title: "abc", url: "https://x.org" } }])).toThrow(
      /not a taxon/,
    );
    expect(() => buildTaxonomy([{ ...t("Boletus edulis"), rank: "genus" }])).toThrow();
  });

  it("has a cited label for every table row it lists", () => {
    expect(folderLabels().length).toBeGreaterThanOrEqual(522);
  });
});
