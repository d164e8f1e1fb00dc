// Who to credit for each photo of a folder in DATA_DIR. A folder may carry per-photo attribution
// (Mushroom Observer's attribution.csv, mushroom.world's photos-2021.csv); otherwise its SOURCE.json applies.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { z } from "zod";
import { licenceFromUrl, type PhotoCredit } from "../../photos/credit";
import type { SourceInput } from "../types";

const sourceJson = z.object({ name: z.string().min(1), licence: z.string().min(1), homepage: z.string().url().optional() });

/** The data source a folder's photos are credited to, from its SOURCE.json ({"name", "licence", "homepage"?}). */
export async function folderSource(dir: string): Promise<SourceInput> {
  const key = `folder-${path.basename(dir)}`;
  try {
    const meta = sourceJson.parse(JSON.parse(await readFile(path.join(dir, "SOURCE.json"), "utf8")));
    return { key, ...meta };
  } catch {
    return { key, name: path.basename(dir), licence: "unspecified (no SOURCE.json in the folder)" };
  }
}

export type CreditReader = (relPath: string) => PhotoCredit;

const csvRows = async (file: string): Promise<Record<string, string>[]> => {
  try {
    return parse(await readFile(file, "utf8"), { columns: true, skip_empty_lines: true, trim: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw new Error(`${file}: ${(e as Error).message}`);
  }
};

/** attribution.csv: staged_file, source_url, photographer, license_url (Mushroom Observer photos). */
async function attributionCsv(dir: string, fallback: PhotoCredit): Promise<CreditReader | undefined> {
  const rows = await csvRows(path.join(dir, "attribution.csv"));
  if (!rows.length) return undefined;
  const byFile = new Map(rows.map((r) => [r.staged_file ?? "", r]));
  return (rel) => {
    const r = byFile.get(rel);
    if (!r) return fallback;
    const lic = licenceFromUrl(r.license_url ?? "");
    return {
      photographer: r.photographer || undefined,
      licenceCode: lic?.code ?? fallback.licenceCode,
      licenceUrl: r.license_url || undefined,
      originalUrl: /^https?:\/\//.test(r.source_url ?? "") ? r.source_url : undefined,
      nonCommercial: lic?.nonCommercial ?? false,
    };
  };
}

/** photos-2021.csv: filename, image_url (mushroom.world's own photos; no licence granted). */
async function mushroomWorldCsv(dir: string, fallback: PhotoCredit): Promise<CreditReader | undefined> {
  const rows = await csvRows(path.join(dir, "photos-2021.csv"));
  if (!rows.length) return undefined;
  const byName = new Map(rows.map((r) => [(r.filename ?? "").toLowerCase(), r]));
  return (rel) => {
    const r = byName.get(path.posix.basename(rel).toLowerCase());
    const url = r?.image_url?.replace(/^http:\/\//, "https://");
    return { ...fallback, photographer: "mushroom.world", originalUrl: url || undefined };
  };
}

/** Mushroom Observer file names that are image ids: link the published 640 px image. */
function mushroomObserverIds(fallback: PhotoCredit): CreditReader {
  return (rel) => {
    const id = /^(\d+)\.\w+$/.exec(path.posix.basename(rel))?.[1];
    return { ...fallback, originalUrl: id ? `https://mushroomobserver.org/images/640/${id}.jpg` : undefined };
  };
}

/** Licence code for a folder-wide licence sentence ("CC BY-SA 3.0 (site default ...)" -> "CC BY-SA 3.0"). */
export function shortLicence(licence: string): string {
  const cc = /CC[ -]BY(?:-NC)?(?:-SA|-ND)?(?: \d\.\d)?/i.exec(licence)?.[0];
  if (/all rights reserved|none granted/i.test(licence)) return "All rights reserved";
  if (/PDDL/i.test(licence)) return /unverified/i.test(licence) ? "PDDL-1.0 (unverified)" : "PDDL-1.0";
  if (cc) return cc.toUpperCase().replace("CC-", "CC ");
  return licence.length > 40 ? `${licence.slice(0, 37)}...` : licence;
}

/** One credit reader per folder: per-photo files where present, else the folder's licence. */
export async function creditReader(dir: string, source: SourceInput): Promise<CreditReader> {
  const code = shortLicence(source.licence);
  const fallback: PhotoCredit = { licenceCode: code, nonCommercial: /\bNC\b/.test(code) };
  const perPhoto = (await attributionCsv(dir, fallback)) ?? (await mushroomWorldCsv(dir, fallback));
  if (perPhoto) return perPhoto;
  if (/mushroomobserver\.org/.test(source.homepage ?? "")) return mushroomObserverIds(fallback);
  return () => fallback;
}
