// Import a Kaggle-style photo dataset (one folder per species) from a folder or zip, or download the
// "Mushrooms images classification 215" zip first. Resumable: a file whose origin is already in the
// catalog is not read again, so a killed import just runs again.
import type { Catalog } from "../../../lib/catalog/client";
import { upsertSource } from "../../../lib/catalog/ingest";
import type { SourceInput } from "../../../lib/catalog/types";
import { CriticalError, NonRetryableError, classify } from "../../errors";
import type { Progress } from "../../core/progress";
import { CatalogSink, DryRunSink, type Sink } from "../../core/sink";
import { SummaryCounter, type RunSummary } from "../../core/summary";
import { tuneSqlite } from "../../core/sqlite";
import { userAgentFor } from "../../http/fetcher";
import { resolveKaggleCredentials } from "./credentials";
import { downloadKaggleDataset } from "./download";
import { openDataset, type DatasetFile } from "../../../lib/photos/dataset-layout";
import { folderLabel } from "../../../lib/taxonomy/index.ts";

/** The folder of lib/taxonomy's label table whose labels are the Kaggle-215 class names. */
export const KAGGLE_LABEL_FOLDER = "kaggle-215-sample";

export const KAGGLE_215 = {
  dataset: "daniilonishchenko/mushrooms-images-classification-215",
  apiUrl: "https://www.kaggle.com/api/v1",
  source: {
    key: "kaggle-mushrooms-215",
    name: "Mushrooms images classification 215 (Kaggle)",
    homepage: "https://www.kaggle.com/datasets/daniilonishchenko/mushrooms-images-classification-215",
    licence: "As stated on the Kaggle dataset page; images gathered from the web by the dataset's author; check before redistributing",
  } satisfies SourceInput,
};

export type KaggleImportOptions = {
  from?: string;
  download?: {
    dir: string;
    dataset: string;
    apiUrl: string;
    credentials: { kaggleUsername?: string; kaggleKey?: string; kaggleConfigDir: string };
    contactUrl?: string;
  };
  storeRoot: string;
  concurrency: number;
  limit?: number;
  dryRun: boolean;
  /** A folder whose name matches no catalog species becomes a new species (its name read as scientific). */
  createSpecies: boolean;
  progress: Progress;
  source?: SourceInput;
  /** Prefix of each photo's recorded source URL (default kaggle://<dataset>). */
  urlPrefix?: string;
  attribution?: string;
};

export async function runKaggleImport(db: Catalog, o: KaggleImportOptions): Promise<RunSummary> {
  const info = o.source ?? KAGGLE_215.source;
  const counter = new SummaryCounter(info.key, o.dryRun);
  let from = o.from;
  if (o.download) {
    const credentials = await resolveKaggleCredentials(o.download.credentials);
    o.progress.warn(`downloading ${o.download.dataset} from ${o.download.apiUrl}`);
    from = await downloadKaggleDataset({
      apiUrl: o.download.apiUrl,
      dataset: o.download.dataset,
      credentials,
      dir: o.download.dir,
      userAgent: userAgentFor(o.download.contactUrl ?? "https://github.com/mushroom-id/mushroom-id#scraper"),
    });
  }
  if (!from) throw new CriticalError("nothing to import: no folder, zip or download given", "kaggle-input");
  const reader = await openDataset(from);
  if (!reader) throw new CriticalError(`${from} has no species folders with images`, "kaggle-layout");

  let sink: Sink;
  let runId: number | undefined;
  if (o.dryRun) sink = new DryRunSink();
  else {
    await tuneSqlite(db);
    const sourceId = await upsertSource(db, info);
    await db.scrapeRun.updateMany({ where: { sourceId, status: "RUNNING" }, data: { status: "FAILED", finishedAt: new Date() } });
    runId = (await db.scrapeRun.create({ data: { sourceId } })).id;
    const catalogSink = new CatalogSink(db, sourceId, o.storeRoot);
    await catalogSink.preload();
    sink = catalogSink;
  }
  const prefix = o.urlPrefix ?? `kaggle://${o.download?.dataset ?? KAGGLE_215.dataset}`;
  const attribution = o.attribution ?? `${info.name}${info.homepage ? `, ${info.homepage}` : ""}`;
  const listed = reader.listedNames ? new Set(reader.listedNames.map(nameKey)) : undefined;

  let critical: CriticalError | undefined;
  try {
    const { species, unvisited } = await resolveClasses(reader.files, sink, o.createSpecies, listed, counter, o.progress, o.limit);
    const todo = reader.files.filter((f) => species.has(f.className));
    const work = o.limit === undefined ? todo : todo.slice(0, o.limit);
    const notReached = reader.files.filter((f) => unvisited.has(f.className)).length;
    o.progress.total(work.length);
    let next = 0;
    const worker = async () => {
      while (!critical && next < work.length) {
        const f = work[next++];
        try {
          const line = await importFile(f, species.get(f.className)!, `${prefix}/${f.relPath}`);
          o.progress.tick(line);
        } catch (e) {
          const err = classify(e);
          if (err instanceof NonRetryableError) {
            counter.skip(err.reason);
            o.progress.warn(`skipped (${err.reason}) ${err.message}`);
            o.progress.tick(`skipped ${f.relPath}`);
          } else critical ??= err;
        }
      }
    };
    const importFile = async (f: DatasetFile, scientificName: string, sourceUrl: string): Promise<string> => {
      if (await sink.hasPhoto(sourceUrl)) {
        counter.photo("existing");
        return `already imported ${f.relPath}`;
      }
      const bytes = await reader.read(f);
      const outcome = await sink.photo(scientificName, bytes, { sourceUrl, licence: info.licence, attribution });
      counter.photo(outcome);
      return `photo ${outcome} ${f.relPath}`;
    };
    await Promise.all(Array.from({ length: Math.max(1, o.concurrency) }, worker));
    if (!critical) counter.s.pending = todo.length - work.length + notReached;
  } catch (e) {
    critical ??= classify(e);
  } finally {
    await reader.close();
  }
  const pending = counter.s.pending;
  const summary = counter.finish(pending, o.download ? 1 : 0, critical ? `critical: ${critical.message}` : pending ? `limit ${o.limit}` : undefined);
  o.progress.stop();
  if (runId !== undefined) {
    await db.scrapeRun.update({
      where: { id: runId },
      data: { status: critical ? "FAILED" : "FINISHED", finishedAt: new Date(), summary: JSON.stringify(summary) },
    });
  }
  return summary;
}

const nameKey = (s: string) => s.replace(/[_\s]+/g, " ").trim().toLowerCase();

/** Map each class folder to a catalog species (scientific name, else common name); skip the rest with a reason. */
async function resolveClasses(
  files: DatasetFile[],
  sink: Sink,
  createSpecies: boolean,
  listed: Set<string> | undefined,
  counter: SummaryCounter,
  progress: Progress,
  /** With --limit, stop resolving (and creating species) once this many files are ready. */
  enoughFiles = Infinity,
): Promise<{ species: Map<string, string>; unvisited: Set<string> }> {
  const out = new Map<string, string>();
  const classes = [...new Set(files.map((f) => f.className))];
  const unvisited = new Set(classes);
  let ready = 0;
  for (const c of classes) {
    if (ready >= enoughFiles) break;
    unvisited.delete(c);
    const count = files.filter((f) => f.className === c).length;
    const skip = (reason: string, why: string) => {
      for (let i = 0; i < count; i++) counter.skip(reason);
      progress.warn(`skipped folder ${c} (${count} files): ${why}`);
    };
    if (listed && !listed.has(nameKey(c))) {
      skip("not-listed", "not named in mushrooms.txt");
      continue;
    }
    // The 215 class names are wildfooduk.com common names: lib/taxonomy's cited table maps each to its taxon.
    const cited = folderLabel(KAGGLE_LABEL_FOLDER, c)?.taxon;
    if (cited) counter.species((await sink.species({ scientificName: cited })).created);
    let name = cited ?? (await sink.findSpecies(c));
    if (!name && createSpecies && /^[a-z]+[_\s]+[a-z-]+/i.test(c.trim())) {
      counter.species((await sink.species({ scientificName: c.replace(/_/g, " ") })).created);
      name = await sink.findSpecies(c);
    }
    if (!name) skip("unknown-species", "no catalog species by that scientific or common name (use --create-species for scientific names)");
    else {
      out.set(c, name);
      ready += count;
    }
  }
  return { species: out, unvisited };
}
