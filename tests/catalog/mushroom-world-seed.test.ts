import { describe, expect, it } from "vitest";
import { cleanText, parseMushroomWorldInfo, readMushroomWorld2023 } from "../../lib/catalog/seed/mushroom-world-2023";
import { settings } from "../../lib/settings";

describe("mushroom.world 2023 records", () => {
  it("reads all 203 real species with family and description", async () => {
    const rows = await readMushroomWorld2023(settings().dataDir);
    expect(rows).toHaveLength(203);
    const horse = rows.find((r) => r.scientificName === "agaricus_arvensis");
    expect(horse?.commonNames).toEqual(["horse_mushroom"]);
    expect(horse?.family).toBe("Agaricaceae");
    expect(horse?.description).toMatch(/commonly known as the horse mushroom/);
    expect(rows.every((r) => !r.description?.includes("碌"))).toBe(true);
    expect(new Set(rows.map((r) => r.scientificName)).size).toBe(203);
  });
  it("repairs the mis-decoded micro sign", () => {
    expect(cleanText("6-9碌m long")).toBe("6-9µm long");
  });
  it("rejects a CSV whose rows lack the scientific name column", () => {
    expect(() => parseMushroomWorldInfo("Common_Name,Family\nfoo,bar\n")).toThrow(/row 2/);
  });
});
