import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { edibilityOf, findEntry, knowledgeTable, lookalikesOf } from "./knowledge.ts";
import { nameKey, toScientificName } from "./normalize.ts";
import { entrySchema } from "./schema.ts";
import { resolveTaxon } from "../taxonomy/index.ts";
import { mentionedEntries } from "./mentions.ts";
import { annotateCandidates, decideVerdict } from "../verdict/index.ts";
import { EDIBILITY_VALUES, NOT_ESTABLISHED } from "./types.ts";

const CSV = path.resolve(import.meta.dirname, "../../../shared/data/mushroom-world-2023/mushroom_info.csv");

/** Scientific_Name is the last column and never quoted/comma-bearing (lower_snake_case). */
function mushroomWorldNames(): string[] {
  const lines = readFileSync(CSV, "utf8").split(/\r?\n/).filter((l) => l.trim() !== "");
  const header = lines[0].split(",");
  expect(header[header.length - 1].trim()).toBe("Scientific_Name");
  // Descriptions contain quoted commas and newlines, so take the trailing snake_case token of each record.
  const names = [...readFileSync(CSV, "utf8").matchAll(/,([a-z]+_[a-z-]+)\r?\n/g)].map((m) => m[1]);
  return [...new Set(names)];
}

const DEADLY_REQUIRED = [
  "Amanita phalloides",
  "Amanita virosa",
  "Amanita bisporigera",
  "Amanita ocreata",
  "Galerina marginata",
  "Lepiota brunneoincarnata",
  "Cortinarius rubellus",
  "Cortinarius orellanus",
  "Gyromitra esculenta",
  "Conocybe filaris",
  "Podostroma cornu-damae",
];

describe("edibility knowledge table", () => {
  const table = knowledgeTable();

  it("covers every mushroom.world species (203)", () => {
    const names = mushroomWorldNames();
    expect(names).toHaveLength(203);
    const missing = names.filter((n) => findEntry(n) === undefined);
    expect(missing).toEqual([]);
    for (const n of names) expect(findEntry(n)?.inMushroomWorld).toBe(true);
  });

  it("gives every entry a valid shape and a source", () => {
    for (const e of table) {
      expect(() => entrySchema.parse(e)).not.toThrow();
      expect(e.source.title.length).toBeGreaterThan(2);
      expect(EDIBILITY_VALUES).toContain(e.edibility);
    }
  });

  it("never claims a value without a consulted source", () => {
    for (const e of table.filter((x) => x.source.title === NOT_ESTABLISHED)) {
      expect(e.edibility, e.scientificName).toBe("UNKNOWN");
      expect(e.source.url).toBeUndefined();
    }
  });

  it("keys every entry by an accepted taxon name, once", () => {
    const keys = table.map((e) => nameKey(e.scientificName));
    expect(new Set(keys).size).toBe(keys.length);
    for (const e of table) expect(resolveTaxon(e.scientificName)?.name, e.scientificName).toBe(e.scientificName);
  });

  it.each(DEADLY_REQUIRED)("%s is DEADLY with at least one lookalike", (name) => {
    const e = findEntry(name);
    expect(e, name).toBeDefined();
    expect(e?.edibility).toBe("DEADLY");
    expect(e?.lookalikes.length).toBeGreaterThan(0);
    expect(e?.note ?? "").not.toBe("");
  });

  it("resolves every lookalike link to the table, or declares it external with a note", () => {
    for (const e of table) {
      for (const l of e.lookalikes) {
        const target = findEntry(l.scientificName);
        if (l.external) {
          expect(target, `${e.scientificName} -> ${l.scientificName} declared external but is in the table`).toBeUndefined();
          expect(l.note).toMatch(/external/i);
        } else {
          expect(target, `${e.scientificName} -> ${l.scientificName}`).toBeDefined();
        }
        expect(nameKey(l.scientificName)).not.toBe(nameKey(e.scientificName));
      }
      const targets = e.lookalikes.map((l) => nameKey(l.scientificName));
      expect(new Set(targets).size, `duplicate lookalike on ${e.scientificName}`).toBe(targets.length);
    }
  });

  it("links the classic deadly/edible confusions", () => {
    const pairs: [string, string][] = [
      ["Amanita phalloides", "Agaricus campestris"],
      ["Amanita phalloides", "Volvariella volvacea"],
      ["Amanita phalloides", "Tricholoma equestre"],
      ["Galerina marginata", "Kuehneromyces mutabilis"],
      ["Galerina marginata", "Armillaria mellea"],
      ["Cortinarius rubellus", "Cantharellus cibarius"],
      ["Gyromitra esculenta", "Morchella esculenta"],
      ["Amanita virosa", "Agaricus arvensis"],
      ["Amanita virosa", "Agaricus campestris"],
      ["Lepiota brunneoincarnata", "Macrolepiota procera"],
      ["Lepiota brunneoincarnata", "Marasmius oreades"],
      ["Conocybe filaris", "Psilocybe semilanceata"],
      ["Podostroma cornu-damae", "Ganoderma lucidum"],
    ];
    for (const [deadly, edible] of pairs) {
      expect(lookalikesOf(deadly).map((l) => l.scientificName), deadly).toContain(edible);
    }
  });

  it("shows deadly lookalikes from the edible side too (reverse links)", () => {
    const fromChanterelle = lookalikesOf("cantharellus_cibarius");
    const rubellus = fromChanterelle.find((l) => l.scientificName === "Cortinarius rubellus");
    expect(rubellus?.edibility).toBe("DEADLY");
    const fromHorse = lookalikesOf("Agaricus arvensis").find((l) => l.scientificName === "Amanita phalloides");
    expect(fromHorse?.via).toBe("reverse");
    expect(lookalikesOf("Agaricus arvensis").some((l) => l.edibility === "DEADLY")).toBe(true);
  });

  it("applies the conservative rules", () => {
    expect(edibilityOf("Coprinopsis atramentaria")).toBe("POISONOUS");
    expect(findEntry("Coprinopsis atramentaria")?.note).toMatch(/alcohol/i);
    expect(findEntry("Amanita rubescens")?.note).toMatch(/raw|cook/i);
    expect(findEntry("Morchella esculenta")?.note).toMatch(/raw|cook/i);
    // Disagreeing sources resolve to the more dangerous value, and the note says so.
    for (const e of table.filter((x) => /SOURCES DISAGREE/.test(x.note ?? ""))) {
      expect(["CHOICE", "EDIBLE"], e.scientificName).not.toContain(e.edibility);
    }
  });
});

describe("name normalisation and lookup API", () => {
  it("matches case, underscores and extra spaces", () => {
    expect(edibilityOf("amanita_phalloides")).toBe("DEADLY");
    expect(edibilityOf("AMANITA  PHALLOIDES")).toBe("DEADLY");
    expect(edibilityOf("  Amanita phalloides ")).toBe("DEADLY");
    expect(toScientificName("podostroma_cornu-damae")).toBe("Podostroma cornu-damae");
  });

  it("resolves listed synonyms", () => {
    expect(findEntry("Conocybe filaris")?.scientificName).toBe("Pholiotina rugosa");
    expect(findEntry("Podostroma cornu-damae")?.scientificName).toBe("Trichoderma cornu-damae");
    expect(findEntry("Lepista nuda")?.scientificName).toBe("Clitocybe nuda");
    expect(findEntry("Boletus badius")?.scientificName).toBe("Imleria badia");
    expect(findEntry("Coprinus atramentarius")?.scientificName).toBe("Coprinopsis atramentaria");
    expect(findEntry("Macrolepiota rachodes")?.scientificName).toBe("Chlorophyllum rhacodes");
    expect(findEntry("Galerina autumnalis")?.edibility).toBe("DEADLY");
  });

  it("treats unknown species as UNKNOWN, never edible", () => {
    expect(edibilityOf("Fungus imaginarius")).toBe("UNKNOWN");
    expect(lookalikesOf("Fungus imaginarius")).toEqual([]);
  });

  it("gives external lookalikes UNKNOWN edibility", () => {
    const v = lookalikesOf("Amanita phalloides").find((l) => l.scientificName === "Volvariella volvacea");
    expect(v?.external).toBe(true);
    expect(v?.edibility).toBe("UNKNOWN");
  });
});

// Review finding 7: Russula velenovskyi's note named R. emetica, yet at 95% it read "listed as edible" with no
// warning, because the note was prose and not a link.
describe("lookalikes named in notes", () => {
  it("links every table species an edible entry's note names", () => {
    const unlinked: string[] = [];
    for (const e of knowledgeTable().filter((x) => x.edibility === "EDIBLE" || x.edibility === "CHOICE")) {
      const linked = new Set(lookalikesOf(e.scientificName).map((l) => l.scientificName));
      for (const m of mentionedEntries(e.note ?? "", e)) if (!linked.has(m.scientificName)) unlinked.push(`${e.scientificName} -> ${m.scientificName}`);
    }
    expect(unlinked).toEqual([]);
  });
  it("warns about the named lookalikes of the review's examples", () => {
    const pairs: [string, string][] = [
      ["Russula velenovskyi", "Russula emetica"],
      ["Amanita jacksonii", "Amanita phalloides"],
      ["Agaricus sylvicola", "Agaricus xanthodermus"],
    ];
    for (const [edible, danger] of pairs) {
      const v = decideVerdict(annotateCandidates([{ scientificName: edible, probability: 0.95 }, { scientificName: "Boletus edulis", probability: 0.05 }]));
      expect(v.warnings.some((w) => w.kind === "dangerous-lookalike" && w.scientificName === danger), `${edible} -> ${danger}`).toBe(true);
    }
  });
  it("finds full and abbreviated names", () => {
    const self = findEntry("Agaricus silvicola")!;
    expect(mentionedEntries("the yellow stainer (A. xanthodermus) and Amanita phalloides", self).map((e) => e.scientificName)).toEqual([
      "Agaricus xanthodermus",
      "Amanita phalloides",
    ]);
  });
});
