// Imports every photo folder in DATA_DIR (species-named subfolders of images) into the catalog, each photo under
// the accepted taxon its label names (lib/taxonomy's cited label table, else the label as a scientific or common
// name) and with its own credit. Nothing is skipped for its name: a photo is skipped only when it is an exact
// duplicate (its bytes are already in the catalog; the new origin is linked to them) or cannot be decoded, and
// the report lists each skip with its reason. Re-running imports nothing twice.
import { readdir } from "node:fs/promises";
import path from "node:path";
import type { Catalog } from "../client";
import { canonicalTaxon, upsertSource, upsertSpecies } from "../ingest";
import { linkOrigin, recordPhoto } from "../photos";
import { sha256Hex, storePhoto } from "../../photos/store";
import { DEFAULT_IMAGE_LIMITS, type ImageLimits } from "../../photos/validate";
import { openDataset, type DatasetFile } from "../../photos/dataset-layout";
import { creditLine } from "../../photos/credit";
import { folderLabel, resolveAnyName } from "../../taxonomy/index.ts";
import { creditReader, folderSource } from "./folder-credits";

export type SkippedPhoto = { file: string; reason: "duplicate" | "undecodable"; detail: string };
export type FolderReport = {
  folder: string;
  sourceKey: string;
  files: number;
  added: number;
  /** Already imported by an earlier run (same folder and file). */
  existing: number;
  skipped: SkippedPhoto[];
  /** Labels that no table or name resolves: their photos are NOT imported; the seed fails on any. */
  unresolvedLabels: string[];
  /** label -> accepted taxon, for the report. */
  labels: Record<string, string>;
};

export type FolderImportOptions = {
  /** Folders of DATA_DIR that hold no photos by design. */
  skipFolders?: string[];
  concurrency?: number;
  limits?: ImageLimits;
  log?: (line: string) => void;
};

/** The taxon a folder label names: the cited label table first, then any scientific or common name. */
export function taxonForLabel(folder: string, label: string): string | undefined {
  const cited = folderLabel(folder, label);
  if (cited) return cited.taxon;
  const named = resolveAnyName(label);
  if (named && named.rank !== "family") return named.name;
  // A binomial the taxonomy does not know is still a name (never a common name): keep it as written.
  const spaced = label.replace(/_/g, " ").trim();
  return /^[A-Za-z]+ [a-z][a-z-]+$/.test(spaced) ? canonicalTaxon(spaced).scientificName : undefined;
}

export async function importPhotoFolders(db: Catalog, dataDir: string, storeRoot: string, o: FolderImportOptions = {}): Promise<FolderReport[]> {
  const log = o.log ?? (() => {});
  const skip = new Set(o.skipFolders ?? ["mushroom-world-2023"]);
  const reports: FolderReport[] = [];
  const entries = await readdir(dataDir, { withFileTypes: true }).catch(() => []);
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (!e.isDirectory() || skip.has(e.name) || e.name.startsWith(".")) continue;
    const report = await importFolder(db, path.join(dataDir, e.name), storeRoot, o);
    if (!report) continue;
    log(
      `${report.folder}: ${report.files} photos, ${report.added} added, ${report.existing} already imported, ` +
        `${report.skipped.length} skipped` +
        (report.unresolvedLabels.length ? `, UNRESOLVED labels: ${report.unresolvedLabels.join(", ")}` : ""),
    );
    for (const s of report.skipped) log(`  skipped ${report.folder}/${s.file}: ${s.reason} (${s.detail})`);
    reports.push(report);
  }
  return reports;
}

async function importFolder(db: Catalog, dir: string, storeRoot: string, o: FolderImportOptions): Promise<FolderReport | undefined> {
  const reader = await openDataset(dir);
  if (!reader) return undefined; // no images: not a photo folder
  const folder = path.basename(dir);
  const source = await folderSource(dir);
  const sourceId = await upsertSource(db, source);
  const credit = await creditReader(dir, source);
  const report: FolderReport = { folder, sourceKey: source.key, files: reader.files.length, added: 0, existing: 0, skipped: [], unresolvedLabels: [], labels: {} };

  // Labels -> catalog taxa (created when the taxonomy knows a taxon the catalog lacks).
  const speciesIds = new Map<string, number>();
  for (const label of [...new Set(reader.files.map((f) => f.className))]) {
    const taxon = taxonForLabel(folder, label);
    if (!taxon) {
      report.unresolvedLabels.push(label);
      continue;
    }
    report.labels[label] = taxon;
    speciesIds.set(label, (await upsertSpecies(db, { scientificName: taxon })).id);
  }

  const known = new Map((await db.photoOrigin.findMany({ where: { sourceId }, select: { sourceUrl: true } })).map((r) => [r.sourceUrl, true]));
  const firstSeen = new Map<string, string>();
  // Two flat reads (a nested one would bind every photo id as a query parameter).
  const firstOrigin = new Map<number, string>();
  for (const r of await db.photoOrigin.findMany({ select: { photoId: true, sourceUrl: true }, orderBy: { id: "desc" } })) firstOrigin.set(r.photoId, r.sourceUrl);
  for (const p of await db.photo.findMany({ select: { contentHash: true, id: true } })) firstSeen.set(p.contentHash, firstOrigin.get(p.id) ?? `photo ${p.id}`);
  const pending = new Map<string, Promise<void>>();
  const work = reader.files.filter((f) => speciesIds.has(f.className));
  let next = 0;
  const one = async (f: DatasetFile) => {
    const sourceUrl = `folder://${folder}/${f.relPath}`;
    if (known.has(sourceUrl)) {
      report.existing++;
      return;
    }
    const bytes = await reader.read(f);
    const c = credit(f.relPath);
    const origin = {
      sourceId,
      sourceUrl,
      licence: source.licence,
      attribution: creditLine({ ...c, licence: source.licence }, source),
      photographer: c.photographer,
      licenceCode: c.licenceCode,
      licenceUrl: c.licenceUrl,
      originalUrl: c.originalUrl,
      nonCommercial: c.nonCommercial,
    };
    const hash = sha256Hex(bytes);
    const dupOf = firstSeen.get(hash);
    if (dupOf) {
      await pending.get(hash); // the same bytes may still be on their way in from another file of this run
      if (!(await db.photo.findUnique({ where: { contentHash: hash }, select: { id: true } }))) {
        report.skipped.push({ file: f.relPath, reason: "undecodable", detail: `same bytes as ${dupOf}, which could not be decoded` });
        return;
      }
      await linkOrigin(db, (await db.photo.findUniqueOrThrow({ where: { contentHash: hash }, select: { id: true } })).id, origin);
      report.skipped.push({ file: f.relPath, reason: "duplicate", detail: `same bytes as ${dupOf}; linked as another origin` });
      return;
    }
    firstSeen.set(hash, sourceUrl);
    const store = (async () => {
      const stored = await storePhoto(storeRoot, bytes, o.limits ?? DEFAULT_IMAGE_LIMITS);
      if (!stored.ok) {
        report.skipped.push({ file: f.relPath, reason: "undecodable", detail: `${stored.reason}: ${stored.detail}` });
        return;
      }
      const res = await recordPhoto(db, { speciesId: speciesIds.get(f.className)!, ...stored.photo }, origin);
      if (res.photoCreated) report.added++;
    })();
    pending.set(hash, store);
    await store;
  };
  const worker = async () => {
    while (next < work.length) await one(work[next++]!);
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, o.concurrency ?? 2) }, worker));
  } finally {
    await reader.close();
  }
  return report;
}
