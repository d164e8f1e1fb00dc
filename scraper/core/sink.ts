// Where parsed records go. CatalogSink writes through lib/catalog (ingest.ts for species, photos.ts for photos)
// and the photo store; DryRunSink only counts. Sources never touch the database themselves.
import type { Catalog } from "../../lib/catalog/client";
import { canonicalTaxon, upsertSpecies } from "../../lib/catalog/ingest";
import { normalizeScientificName } from "../../lib/catalog/names";
import { linkOrigin, photoIdForHash, photoIdForOrigin, recordPhoto, type RecordPhotoResult } from "../../lib/catalog/photos";
import type { SpeciesInput } from "../../lib/catalog/types";
import { sha256Hex, storePhoto } from "../../lib/photos/store";
import { DEFAULT_IMAGE_LIMITS, validateImage, type ImageLimits } from "../../lib/photos/validate";
import { NonRetryableError } from "../errors";

export type PhotoOriginFacts = { sourceUrl: string; licence: string; attribution: string };
/** added: new bytes stored; linked: bytes already stored (other URL or source), new origin; existing: nothing new. */
export type PhotoOutcome = "added" | "linked" | "existing";

export interface Sink {
  readonly dryRun: boolean;
  readonly limits: ImageLimits;
  species(input: SpeciesInput, sourceUrl?: string): Promise<{ created: boolean }>;
  /** Resolve a name to a catalog species (scientific name, else a common name); undefined if unknown. */
  findSpecies(name: string): Promise<string | undefined>;
  hasPhoto(sourceUrl: string): Promise<boolean>;
  /** Store and record a photo of `scientificName`; throws NonRetryableError for a rejected image. */
  photo(scientificName: string, bytes: Uint8Array, origin: PhotoOriginFacts): Promise<PhotoOutcome>;
}

export class CatalogSink implements Sink {
  readonly dryRun = false;
  private speciesIds = new Map<string, number>();
  /** Filled by preload(): this source's origin URLs and every known hash, to save two queries per photo. */
  private originUrls?: Set<string>;
  private hashIds?: Map<string, number>;

  constructor(
    private db: Catalog,
    private sourceId: number,
    private storeRoot: string,
    readonly limits: ImageLimits = DEFAULT_IMAGE_LIMITS,
  ) {}

  /** Read the source's origins and the photo hashes once (one query each instead of two per photo). */
  async preload(): Promise<void> {
    const origins = await this.db.photoOrigin.findMany({ where: { sourceId: this.sourceId }, select: { sourceUrl: true } });
    this.originUrls = new Set(origins.map((o) => o.sourceUrl));
    const photos = await this.db.photo.findMany({ select: { id: true, contentHash: true } });
    this.hashIds = new Map(photos.map((p) => [p.contentHash, p.id]));
  }

  async species(input: SpeciesInput, sourceUrl?: string): Promise<{ created: boolean }> {
    const res = await upsertSpecies(this.db, input, { sourceId: this.sourceId, sourceUrl });
    this.speciesIds.set(normalizeScientificName(input.scientificName), res.id);
    return { created: res.created };
  }

  async findSpecies(name: string): Promise<string | undefined> {
    const id = await this.lookup(name);
    if (id !== undefined) return (await this.db.species.findUniqueOrThrow({ where: { id }, select: { scientificName: true } })).scientificName;
    const common = name.replace(/[_\s]+/g, " ").trim().toLowerCase();
    const candidates = await this.db.commonName.findMany({ select: { name: true, species: { select: { scientificName: true } } } });
    return candidates.find((c) => c.name.toLowerCase() === common)?.species.scientificName;
  }

  async hasPhoto(sourceUrl: string): Promise<boolean> {
    if (this.originUrls?.has(sourceUrl)) return true;
    return (await photoIdForOrigin(this.db, this.sourceId, sourceUrl)) !== undefined;
  }

  async photo(scientificName: string, bytes: Uint8Array, origin: PhotoOriginFacts): Promise<PhotoOutcome> {
    const speciesId = await this.speciesId(scientificName);
    const o = { sourceId: this.sourceId, ...origin };
    // Bytes already in the catalog (another URL or source): link, do not decode or copy again.
    const hash = sha256Hex(bytes);
    const known = this.hashIds ? this.hashIds.get(hash) : await photoIdForHash(this.db, hash);
    if (known !== undefined) return this.outcome(await linkOrigin(this.db, known, o), hash, origin.sourceUrl);
    const stored = await storePhoto(this.storeRoot, bytes, this.limits);
    if (!stored.ok) throw new NonRetryableError(`${origin.sourceUrl}: ${stored.reason}: ${stored.detail}`, `image-${stored.reason}`);
    return this.outcome(await recordPhoto(this.db, { speciesId, ...stored.photo }, o), hash, origin.sourceUrl);
  }

  private outcome(res: RecordPhotoResult, hash: string, sourceUrl: string): PhotoOutcome {
    this.hashIds?.set(hash, res.photoId);
    this.originUrls?.add(sourceUrl);
    return res.photoCreated ? "added" : res.originCreated ? "linked" : "existing";
  }

  /** A name's taxon id: accepted name (through lib/taxonomy), else a synonym row in the catalog. */
  private async lookup(scientificName: string): Promise<number | undefined> {
    const name = normalizeScientificName(scientificName);
    const accepted = canonicalTaxon(name).scientificName;
    const row =
      (await this.db.species.findUnique({ where: { scientificName: accepted }, select: { id: true } })) ??
      (await this.db.synonym.findUnique({ where: { name }, select: { speciesId: true } }).then((s) => (s ? { id: s.speciesId } : null)));
    return row?.id;
  }

  private async speciesId(scientificName: string): Promise<number> {
    const name = normalizeScientificName(scientificName);
    let id = this.speciesIds.get(name);
    if (id === undefined) {
      id = await this.lookup(name);
      if (id === undefined) throw new NonRetryableError(`species ${name} is not in the catalog`, "species-missing");
      this.speciesIds.set(name, id);
    }
    return id;
  }
}

/** --dry-run: validate what would be written, write nothing. */
export class DryRunSink implements Sink {
  readonly dryRun = true;
  private seen = new Set<string>();
  constructor(readonly limits: ImageLimits = DEFAULT_IMAGE_LIMITS) {}

  async species(input: SpeciesInput): Promise<{ created: boolean }> {
    const name = normalizeScientificName(input.scientificName);
    const created = !this.seen.has(name);
    this.seen.add(name);
    return { created };
  }
  async findSpecies(name: string): Promise<string | undefined> {
    return normalizeScientificName(name);
  }
  async hasPhoto(): Promise<boolean> {
    return false;
  }
  async photo(_name: string, bytes: Uint8Array, origin: PhotoOriginFacts): Promise<PhotoOutcome> {
    const check = await validateImage(bytes, this.limits);
    if (!check.ok) throw new NonRetryableError(`${origin.sourceUrl}: ${check.reason}: ${check.detail}`, `image-${check.reason}`);
    return "added";
  }
}
