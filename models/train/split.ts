// The photo-grouped split: identical bytes (content hash) and near-duplicate or mirrored copies (dHash) form one group
// via union-find; whole groups go to train, validation or test, stratified by species with a fixed seed.
import { isNearDuplicate, NEAR_DUPLICATE_BITS, type PhotoDhash } from "./dhash.ts";
import { seededRandom, shuffleInPlace } from "./rng.ts";
import { UnionFind } from "./union-find.ts";

export type SplitName = "train" | "val" | "test";
export const SPLITS: readonly SplitName[] = ["train", "val", "test"];

export type SplitInput = { contentHash: string; speciesId: number; dhash: PhotoDhash };

export type SplitOptions = {
  seed: number;
  /** Fractions of each species' photos for validation and test (the rest is train). */
  valFraction: number;
  testFraction: number;
  nearDuplicateBits?: number;
  /** A species needs at least this many independent groups (one per side) to be evaluated. */
  minGroupsPerSpecies?: number;
  /** Species with fewer groups go to train (still learned, never evaluated) instead of being left out. */
  fewGroupsToTrain?: boolean;
};

export const DEFAULT_SPLIT: SplitOptions = { seed: 20261125, valFraction: 0.15, testFraction: 0.15, nearDuplicateBits: NEAR_DUPLICATE_BITS, minGroupsPerSpecies: 3 };

export type SplitResult = {
  /** Side of every input, by index; undefined where its species had too few groups. */
  side: (SplitName | undefined)[];
  /** Group id of every input (equal ids = same source photo). */
  group: Int32Array;
  /** Species left out for having too few independent photos: id -> group count. */
  excludedSpecies: Map<number, number>;
};

/** Union-find over identical hashes and near-duplicate dHashes (O(n^2) pairs; fine to ~20k photos). */
export function photoGroups(items: SplitInput[], bits = NEAR_DUPLICATE_BITS): Int32Array {
  const uf = new UnionFind(items.length);
  const byHash = new Map<string, number>();
  for (const [i, it] of items.entries()) {
    const first = byHash.get(it.contentHash);
    if (first === undefined) byHash.set(it.contentHash, i);
    else uf.union(first, i);
  }
  for (let i = 0; i < items.length; i++)
    for (let j = i + 1; j < items.length; j++) if (isNearDuplicate(items[i]!.dhash, items[j]!.dhash, bits)) uf.union(i, j);
  return uf.groups();
}

export function splitPhotos(items: SplitInput[], o: SplitOptions = DEFAULT_SPLIT): SplitResult {
  const group = photoGroups(items, o.nearDuplicateBits ?? NEAR_DUPLICATE_BITS);
  const minGroups = o.minGroupsPerSpecies ?? 3;
  // A group's stratum is its most frequent species (a duplicate filed under two species still moves as one).
  const members = new Map<number, number[]>();
  for (const [i, g] of group.entries()) members.set(g, [...(members.get(g) ?? []), i]);
  const strata = new Map<number, number[]>();
  for (const [g, idx] of [...members.entries()].sort((a, b) => a[0] - b[0])) {
    const counts = new Map<number, number>();
    for (const i of idx) counts.set(items[i]!.speciesId, (counts.get(items[i]!.speciesId) ?? 0) + 1);
    const species = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]![0];
    strata.set(species, [...(strata.get(species) ?? []), g]);
  }
  const side: (SplitName | undefined)[] = new Array(items.length).fill(undefined);
  const excludedSpecies = new Map<number, number>();
  for (const [species, groups] of [...strata.entries()].sort((a, b) => a[0] - b[0])) {
    if (groups.length < minGroups) {
      excludedSpecies.set(species, groups.length);
      if (o.fewGroupsToTrain) for (const g of groups) for (const i of members.get(g)!) side[i] = "train";
      continue;
    }
    const rand = seededRandom(o.seed ^ Math.imul(species, 0x9e3779b1));
    shuffleInPlace(groups, rand);
    const total = groups.reduce((s, g) => s + members.get(g)!.length, 0);
    // At least one group each for test and validation; then fill each to its share of photos.
    const want = { test: Math.max(1, o.testFraction * total), val: Math.max(1, o.valFraction * total) };
    let got = { test: 0, val: 0 };
    let k = 0;
    for (const name of ["test", "val"] as const) {
      while (k < groups.length - 1 && got[name] < want[name] && (got[name] === 0 || got[name] + members.get(groups[k]!)!.length <= want[name] + 0.5)) {
        for (const i of members.get(groups[k]!)!) side[i] = name;
        got = { ...got, [name]: got[name] + members.get(groups[k]!)!.length };
        k++;
      }
    }
    for (; k < groups.length; k++) for (const i of members.get(groups[k]!)!) side[i] = "train";
  }
  return { side, group, excludedSpecies };
}

/** Throws when a content hash or a near-duplicate group sits on two sides (run after every split). */
export function assertSplitIsGrouped(items: SplitInput[], r: SplitResult, bits = NEAR_DUPLICATE_BITS): void {
  const seen = new Map<string, SplitName>();
  for (const [i, it] of items.entries()) {
    const s = r.side[i];
    if (!s) continue;
    const prev = seen.get(it.contentHash);
    if (prev && prev !== s) throw new Error(`photo ${it.contentHash} is in both ${prev} and ${s}`);
    seen.set(it.contentHash, s);
  }
  for (let i = 0; i < items.length; i++)
    for (let j = i + 1; j < items.length; j++) {
      const a = r.side[i];
      const b = r.side[j];
      if (a && b && a !== b && isNearDuplicate(items[i]!.dhash, items[j]!.dhash, bits)) {
        throw new Error(`near-duplicates ${items[i]!.contentHash} (${a}) and ${items[j]!.contentHash} (${b}) are on two sides`);
      }
    }
}
