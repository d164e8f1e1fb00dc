import { describe, expect, it } from "vitest";
import sharp from "sharp";
import { hammingDistance, isNearDuplicate, photoDhash, type PhotoDhash } from "./dhash.ts";
import { seededRandom } from "./rng.ts";
import { assertSplitIsGrouped, photoGroups, splitPhotos, type SplitInput } from "./split.ts";

/** A random smooth picture: an 8x6 grid of random colours upscaled (test fixture, not a photo of anything). */
async function syntheticImage(seed: number): Promise<Buffer> {
  const r = seededRandom(seed);
  const grid = Buffer.from(Array.from({ length: 8 * 6 * 3 }, () => Math.floor(r() * 256)));
  return sharp(grid, { raw: { width: 8, height: 6, channels: 3 } }).resize(160, 120, { kernel: "cubic" }).jpeg({ quality: 92 }).toBuffer();
}

/** Copies that must be recognised as the same source photo. */
async function copiesOf(img: Buffer): Promise<Buffer[]> {
  return Promise.all([
    sharp(img).jpeg({ quality: 40 }).toBuffer(), // re-encoded
    sharp(img).resize(80, 60).png().toBuffer(), // resized
    sharp(img).flop().jpeg().toBuffer(), // mirrored
    sharp(img).modulate({ brightness: 1.08 }).jpeg().toBuffer(), // lightly edited
  ]);
}

describe("dHash near-duplicates", () => {
  it("puts re-encoded, resized, mirrored and brightened copies within the threshold, and distinct photos outside", async () => {
    const originals = await Promise.all([1, 2, 3, 4, 5, 6].map(syntheticImage));
    const hashes = await Promise.all(originals.map((b) => photoDhash(b)));
    for (const [i, img] of originals.entries()) {
      for (const copy of await copiesOf(img)) expect(isNearDuplicate(hashes[i]!, await photoDhash(copy))).toBe(true);
      for (let j = i + 1; j < originals.length; j++) expect(isNearDuplicate(hashes[i]!, hashes[j]!)).toBe(false);
    }
    // The mirrored hash of a flipped copy equals the hash of the original.
    const flipped = await photoDhash(await sharp(originals[0]!).flop().toBuffer());
    expect(hammingDistance(flipped.mirrored, hashes[0]!.hash)).toBeLessThanOrEqual(2);
  });
});

describe("photo-grouped split", () => {
  async function fixture(): Promise<SplitInput[]> {
    // 4 species x 10 source photos, each source with 0-2 near-duplicate copies, plus one byte-identical repeat.
    const items: SplitInput[] = [];
    for (let sp = 0; sp < 4; sp++)
      for (let k = 0; k < 10; k++) {
        const seed = 100 * sp + k;
        const img = await syntheticImage(seed);
        items.push({ contentHash: `h${seed}`, speciesId: sp + 1, dhash: await photoDhash(img) });
        const copies = (await copiesOf(img)).slice(0, k % 3);
        for (const [c, copy] of copies.entries()) items.push({ contentHash: `h${seed}c${c}`, speciesId: sp + 1, dhash: await photoDhash(copy) });
      }
    items.push({ ...items[5]!, contentHash: items[5]!.contentHash }); // same bytes seen twice
    return items;
  }

  it("keeps every content hash and near-duplicate group on one side, stratified by species", async () => {
    const items = await fixture();
    const r = splitPhotos(items, { seed: 1, valFraction: 0.2, testFraction: 0.2 });
    expect(() => assertSplitIsGrouped(items, r)).not.toThrow();
    const groups = photoGroups(items);
    expect(new Set(groups).size).toBe(40); // the 40 source photos
    const sideOfGroup = new Map<number, string>();
    for (const [i, g] of groups.entries()) {
      const s = r.side[i]!;
      expect(sideOfGroup.get(g) ?? s).toBe(s);
      sideOfGroup.set(g, s);
    }
    for (let sp = 1; sp <= 4; sp++) {
      const sides = items.map((it, i) => (it.speciesId === sp ? r.side[i] : undefined)).filter(Boolean);
      for (const s of ["train", "val", "test"]) expect(sides).toContain(s);
    }
    // Fixed seed: same split; another seed: a different one.
    expect(splitPhotos(items, { seed: 1, valFraction: 0.2, testFraction: 0.2 }).side).toEqual(r.side);
    expect(splitPhotos(items, { seed: 2, valFraction: 0.2, testFraction: 0.2 }).side).not.toEqual(r.side);
  });

  it("the check catches a split that separates a near-duplicate pair", async () => {
    const items = await fixture();
    const r = splitPhotos(items, { seed: 1, valFraction: 0.2, testFraction: 0.2 });
    const copy = items.findIndex((it) => it.contentHash.endsWith("c0"));
    const orig = items.findIndex((it) => it.contentHash === items[copy]!.contentHash.replace(/c0$/, ""));
    const broken = { ...r, side: r.side.map((s, i) => (i === copy ? (r.side[orig] === "test" ? "train" : "test") : s)) };
    expect(() => assertSplitIsGrouped(items, broken)).toThrow(/near-duplicates/);
  });

  it("leaves out species with fewer independent photos than one per side", () => {
    const spread = (i: number): PhotoDhash => {
      const h = { hi: i % 2 ? 0xffffffff : 0, lo: i % 4 < 2 ? 0 : 0xffffffff };
      return { hash: h, mirrored: h };
    };
    const items = [0, 1, 2].map((i) => ({ contentHash: `a${i}`, speciesId: 1, dhash: spread(i) })).concat([{ contentHash: "b0", speciesId: 2, dhash: spread(3) }]);
    // Species 1's three photos differ in >= 32 bits; species 2 has one.
    const r = splitPhotos(items, { seed: 3, valFraction: 0.15, testFraction: 0.15 });
    expect(r.excludedSpecies.get(2)).toBe(1);
    expect(new Set(r.side.slice(0, 3))).toEqual(new Set(["train", "val", "test"]));
    expect(r.side[3]).toBeUndefined();
  });
});
