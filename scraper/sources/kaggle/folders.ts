// Photo folders in the data directory (any folder in the Kaggle layout: species-named subfolders of images),
// imported by the seed. Each folder is its own data source; its licence comes from a SOURCE.json beside the
// images ({"name", "licence", "homepage"?}), else the Kaggle-215 terms when it has mushrooms.txt, else "unspecified".
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import type { Catalog } from "../../../lib/catalog/client";
import type { SourceInput } from "../../../lib/catalog/types";
import { SilentProgress } from "../../core/progress";
import type { RunSummary } from "../../core/summary";
import { openDataset } from "./layout";
import { KAGGLE_215, runKaggleImport } from "./source";

const sourceJson = z.object({ name: z.string().min(1), licence: z.string().min(1), homepage: z.string().url().optional() });

/** The data source a folder's photos are credited to. */
export async function folderSource(dir: string, hasNamesFile: boolean): Promise<SourceInput> {
  try {
    const meta = sourceJson.parse(JSON.parse(await readFile(path.join(dir, "SOURCE.json"), "utf8")));
    return { key: `folder-${path.basename(dir)}`, ...meta };
  } catch {
    if (hasNamesFile) return KAGGLE_215.source;
    return { key: `folder-${path.basename(dir)}`, name: path.basename(dir), licence: "unspecified (no SOURCE.json in the folder)" };
  }
}

export async function importPhotoFolders(
  db: Catalog,
  dataDir: string,
  storeRoot: string,
  log: (line: string) => void,
  skip: string[] = ["mushroom-world-2023"],
): Promise<RunSummary[]> {
  const out: RunSummary[] = [];
  const entries = await readdir(dataDir, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    if (!e.isDirectory() || skip.includes(e.name) || e.name.startsWith(".")) continue;
    const dir = path.join(dataDir, e.name);
    const reader = await openDataset(dir);
    if (!reader) continue; // no images: not a photo folder
    const hasNamesFile = reader.listedNames !== undefined;
    await reader.close();
    const source = await folderSource(dir, hasNamesFile);
    const summary = await runKaggleImport(db, {
      from: dir,
      storeRoot,
      concurrency: 4,
      dryRun: false,
      createSpecies: false,
      progress: new SilentProgress(),
      source,
      urlPrefix: source.key === KAGGLE_215.source.key ? undefined : `folder://${e.name}`,
    });
    const skipped = Object.values(summary.skipped).reduce((a, b) => a + b, 0);
    log(`${e.name}: photos added ${summary.photos.added}, linked ${summary.photos.linked}, already had ${summary.photos.existing}, skipped ${skipped}`);
    out.push(summary);
  }
  return out;
}
