// The species model's data: catalog photos -> classes (every taxon with photos; a genus named only as a label
// becomes a set of its species' classes) -> grouped split -> views. Shared by training and evaluation.
import type { Catalog } from "../../lib/catalog/client.ts";
import { readTrainingPhotos, type TrainPhoto, type TrainSpecies } from "./catalog-photos.ts";
import { photoDhash, type PhotoDhash } from "./dhash.ts";
import { assertSplitIsGrouped, DEFAULT_SPLIT, splitPhotos, type SplitName, type SplitOptions, type SplitResult } from "./split.ts";
import type { TokenView } from "./finetune/embed-tokens.ts";

export type SpeciesClass = TrainSpecies & { index: number };

export type LabelledPhoto = TrainPhoto & {
  taxon: TrainSpecies;
  /** Class indices the label allows: one for a class taxon, its genus's classes for a genus-only label. */
  allowed: number[];
  /** The photo's taxon is itself a class (species-level metrics); false for genus-only labels. */
  isClass: boolean;
  side: SplitName | undefined;
};

export type SpeciesData = {
  classes: SpeciesClass[];
  photos: LabelledPhoto[];
  split: SplitResult;
  splitOptions: SplitOptions;
  totalTaxa: number;
  /** Genus-rank taxa supervised through their species (not classes). */
  genusLabels: string[];
};

export async function loadSpeciesData(db: Catalog, photoStore: string, split: Partial<SplitOptions> = {}): Promise<SpeciesData> {
  const snap = await readTrainingPhotos(db, photoStore);
  const taxa = [...snap.species.values()];
  const genusWithSpecies = new Set(taxa.filter((t) => t.rank !== "GENUS").map((t) => t.genus));
  // A genus label is a class only when none of its members has photos; otherwise it supervises their sum.
  const classTaxa = taxa.filter((t) => t.rank !== "GENUS" || !genusWithSpecies.has(t.genus)).sort((a, b) => a.scientificName.localeCompare(b.scientificName));
  const classes = classTaxa.map((t, index) => ({ ...t, index }));
  const byId = new Map(classes.map((c) => [c.id, c]));
  const byGenus = new Map<string, number[]>();
  for (const c of classes) byGenus.set(c.genus, [...(byGenus.get(c.genus) ?? []), c.index]);

  const dh: PhotoDhash[] = [];
  for (let i = 0; i < snap.photos.length; i += 32) dh.push(...(await Promise.all(snap.photos.slice(i, i + 32).map((p) => photoDhash(p.thumbFile)))));
  const items = snap.photos.map((p, i) => ({ contentHash: p.contentHash, speciesId: p.speciesId, dhash: dh[i]! }));
  const splitOptions: SplitOptions = { ...DEFAULT_SPLIT, fewGroupsToTrain: true, ...split };
  const result = splitPhotos(items, splitOptions);
  assertSplitIsGrouped(items, result, splitOptions.nearDuplicateBits);
  const photos = snap.photos.map((p, i): LabelledPhoto => {
    const taxon = snap.species.get(p.speciesId)!;
    const cls = byId.get(taxon.id);
    return { ...p, taxon, allowed: cls ? [cls.index] : (byGenus.get(taxon.genus) ?? []), isClass: !!cls, side: result.side[i] };
  });
  return {
    classes,
    photos,
    split: result,
    splitOptions,
    totalTaxa: snap.totalSpecies,
    genusLabels: taxa.filter((t) => !byId.has(t.id)).map((t) => t.scientificName),
  };
}

/** Training views (centre crop + augmented) and evaluation views (centre crop, mirror) of the photos on a side. */
export function viewsOf(photos: readonly LabelledPhoto[], side: SplitName, augmentViews: number): { views: TokenView[]; photo: number[] } {
  const views: TokenView[] = [];
  const photo: number[] = [];
  photos.forEach((p, i) => {
    if (p.side !== side) return;
    const kinds: TokenView["view"][] = side === "train" ? ["orig", ...Array.from({ length: augmentViews }, (_, k) => k)] : ["orig", "flip"];
    for (const view of kinds) {
      views.push({ contentHash: p.contentHash, imageFile: p.imageFile, view });
      photo.push(i);
    }
  });
  return { views, photo };
}
