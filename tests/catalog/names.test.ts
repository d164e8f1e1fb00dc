import { describe, expect, it } from "vitest";
import { normalizeCommonName, normalizeScientificName, searchTextFor, slugFor } from "../../lib/catalog/names";

describe("catalog names", () => {
  it("normalises scientific names from the CSV's snake_case and stray spacing", () => {
    expect(normalizeScientificName("agaricus_arvensis")).toBe("Agaricus arvensis");
    expect(normalizeScientificName("  AMANITA   Phalloides ")).toBe("Amanita phalloides");
    expect(() => normalizeScientificName(" _ ")).toThrow(/Empty scientific name/);
  });
  it("makes URL-safe slugs, folding accents and punctuation", () => {
    expect(slugFor("Agaricus arvensis")).toBe("agaricus-arvensis");
    expect(slugFor("Cortinarius rubellus var. épais")).toBe("cortinarius-rubellus-var-epais");
  });
  it("keeps apostrophes in common names and capitalises the first letter", () => {
    expect(normalizeCommonName("jackson's_slender_amanita")).toBe("Jackson's slender amanita");
  });
  it("builds lower-case search text over all names", () => {
    expect(searchTextFor("Agaricus arvensis", ["Horse mushroom"])).toBe("agaricus arvensis | horse mushroom");
  });
});
