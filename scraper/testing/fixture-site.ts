// A fixture copy of mushroom.world built from the real 2023 records (../shared/data/mushroom-world-2023):
// the name list, one page per species with the site's markup, and for each photo link the real photo the site
// served (../shared/data/mushroom-world-photos holds 597 of them, matched by file name), else a small distinct JPEG.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { parse } from "csv-parse/sync";
import sharp from "sharp";
import { normalizeCommonName, normalizeScientificName } from "../../lib/catalog/names";
import { readMushroomWorld2023 } from "../../lib/catalog/seed/mushroom-world-2023";
import type { SpeciesInput } from "../../lib/catalog/types";

export type FixtureSpecies = { species: SpeciesInput; slug: string; photoPaths: string[] };
export type FixtureSite = {
  species: FixtureSpecies[];
  photoCount: number;
  /** URL path ("/data/fungi/Agaricusarvensis1.jpg") -> the real photo file mushroom.world served for it. */
  realPhotos: Map<string, string>;
};

/** The real mushroom.world photos by lower-cased file name (the site's URLs differ in extension case). */
async function realPhotoFiles(dataDir: string): Promise<Map<string, string>> {
  const root = path.join(dataDir, "mushroom-world-photos");
  const out = new Map<string, string>();
  const folders = await readdir(root, { withFileTypes: true }).catch(() => []);
  for (const f of folders) {
    if (!f.isDirectory()) continue;
    for (const file of await readdir(path.join(root, f.name))) out.set(file.toLowerCase(), path.join(root, f.name, file));
  }
  return out;
}

/** "Agaricus arvensis" -> "Agaricus-arvensis", the site's `?n=` form. */
export const pageName = (scientificName: string) => scientificName.replace(/\s+/g, "-");

export async function loadFixtureSite(dataDir: string): Promise<FixtureSite> {
  const infos = await readMushroomWorld2023(dataDir);
  const csv = await readFile(path.join(dataDir, "mushroom-world-2023", "mushroom_images.csv"), "utf8");
  const rows = parse(csv, { columns: true, skip_empty_lines: true }) as { Scientific_Name: string; Link: string }[];
  const photos = new Map<string, string[]>();
  for (const r of rows) {
    const name = normalizeScientificName(r.Scientific_Name);
    const p = new URL(r.Link).pathname;
    photos.set(name, [...(photos.get(name) ?? []), p]);
  }
  const species = infos.map((s) => {
    const name = normalizeScientificName(s.scientificName);
    return { species: { ...s, scientificName: name }, slug: pageName(name), photoPaths: photos.get(name) ?? [] };
  });
  const files = await realPhotoFiles(dataDir);
  const realPhotos = new Map<string, string>();
  for (const p of new Set(rows.map((r) => new URL(r.Link).pathname))) {
    const file = files.get(path.posix.basename(p).toLowerCase());
    if (file) realPhotos.set(p, file);
  }
  return { species, photoCount: rows.length, realPhotos };
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

export function nameListHtml(site: FixtureSite): string {
  const items = site.species
    .map((s) => `<div class="item"><a href="../show?n=${esc(s.slug)}">${esc(s.species.scientificName)}</a></div>`)
    .join("\n");
  return `<!DOCTYPE html><html><head><title>Name list</title></head><body><div id="name-list">\n${items}\n</div></body></html>`;
}

export function speciesHtml(s: FixtureSpecies, edibility = "This site contains no information about the edibility or toxicity of mushrooms."): string {
  const common = s.species.commonNames?.[0] ? ` (${esc(normalizeCommonName(s.species.commonNames[0]))})` : "";
  const pair = (label: string, value: string | undefined, cls = "textus") =>
    value ? `<div class="labelus">${label}</div>\n<div class="${cls}">${esc(value).replace(/\n/g, "<br>\n")}</div>` : "";
  const images = s.photoPaths
    .map((p) => `<div class="image"><a href="${esc(p.replace(/^\//, ""))}" title="${esc(s.species.scientificName)}"><img src="${esc(p)}"></a></div>`)
    .join("\n");
  return `<!DOCTYPE html><html><head><title>${esc(s.species.scientificName)}</title></head><body>
<div class="caption"><b>${esc(s.species.scientificName)}</b>${common}</div>
${pair("Family", s.species.family)}
${pair("Location", s.species.location)}
${pair("Dimensions", s.species.dimensions)}
${pair("Edibility", edibility)}
${pair("Description", s.species.description, "longtextus")}
<div id="mushroom-list">
${images}
</div></body></html>`;
}

/** A small JPEG whose pixels (and so bytes) are distinct for every path. */
export async function photoJpeg(urlPath: string, width = 64, height = 48): Promise<Buffer> {
  let h = 2166136261;
  for (const c of urlPath) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      pixels[i] = (h >>> 16) & 0xff;
      pixels[i + 1] = ((h >>> 8) + x * 3) & 0xff;
      pixels[i + 2] = (h + y * 5) & 0xff;
      // The top rows spell out all 32 hash bits, so no two paths share pixels.
      if (y < 8) pixels[i] = pixels[i + 1] = pixels[i + 2] = (h >>> Math.floor((x * 32) / width)) & 1 ? 255 : 0;
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg({ quality: 90 }).toBuffer();
}
