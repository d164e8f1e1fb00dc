// The Kaggle "one folder per species" layout, read from an extracted folder or straight from the zip.
// The class root is found, not assumed: Kaggle zips often nest it (e.g. data/data/<species>/<image>).
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import yauzl from "yauzl";

export type DatasetFile = { className: string; /** "<class folder>/<file>", stable across folder and zip. */ relPath: string };

export interface DatasetReader {
  files: DatasetFile[];
  /** Names listed in mushrooms.txt, if the dataset has one. */
  listedNames?: string[];
  read(file: DatasetFile): Promise<Buffer>;
  close(): Promise<void>;
}

const IMAGE_EXT = /\.(jpe?g|png|webp|gif|avif)$/i;
const hidden = (p: string) => p.split("/").some((part) => part.startsWith(".") || part === "__MACOSX");

/** From every file path (posix, relative), pick the class root and the files directly inside its folders. */
export function layoutOf(paths: string[]): { root: string; files: DatasetFile[]; namesFile?: string } | undefined {
  const visible = paths.filter((p) => !hidden(p));
  const votes = new Map<string, number>();
  for (const p of visible) {
    if (!IMAGE_EXT.test(p)) continue;
    const root = path.posix.dirname(path.posix.dirname(p));
    votes.set(root, (votes.get(root) ?? 0) + 1);
  }
  if (votes.size === 0) return undefined;
  const [root] = [...votes.entries()].sort((a, b) => b[1] - a[1] || a[0].split("/").length - b[0].split("/").length)[0];
  const prefix = root === "." ? "" : `${root}/`;
  const files: DatasetFile[] = [];
  for (const p of visible) {
    if (!p.startsWith(prefix)) continue;
    const rest = p.slice(prefix.length).split("/");
    if (rest.length === 2) files.push({ className: rest[0], relPath: rest.join("/") });
  }
  files.sort((a, b) => a.relPath.localeCompare(b.relPath));
  const namesFile = visible.filter((p) => path.posix.basename(p).toLowerCase() === "mushrooms.txt").sort((a, b) => a.length - b.length)[0];
  return { root, files, namesFile };
}

export function parseNamesFile(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
}

export async function openDataset(from: string): Promise<DatasetReader | undefined> {
  return /\.zip$/i.test(from) ? openZip(from) : openFolder(from);
}

async function walk(dir: string, rel = "", depth = 0): Promise<string[]> {
  if (depth > 5) return [];
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await walk(path.join(dir, e.name), r, depth + 1)));
    else if (e.isFile()) out.push(r);
  }
  return out;
}

async function openFolder(dir: string): Promise<DatasetReader | undefined> {
  const layout = layoutOf(await walk(dir));
  if (!layout) return undefined;
  const abs = (rel: string) => path.join(dir, layout.root, rel);
  return {
    files: layout.files,
    listedNames: layout.namesFile ? parseNamesFile(await readFile(path.join(dir, layout.namesFile), "utf8")) : undefined,
    read: (f) => readFile(abs(f.relPath)),
    close: async () => {},
  };
}

async function openZip(file: string): Promise<DatasetReader | undefined> {
  const zip = await new Promise<yauzl.ZipFile>((res, rej) =>
    yauzl.open(file, { lazyEntries: true, autoClose: false }, (e, z) => (e ? rej(e) : res(z))),
  );
  const entries = new Map<string, yauzl.Entry>();
  await new Promise<void>((res, rej) => {
    zip.on("entry", (e: yauzl.Entry) => {
      if (!e.fileName.endsWith("/")) entries.set(e.fileName, e);
      zip.readEntry();
    });
    zip.on("end", () => res());
    zip.on("error", rej);
    zip.readEntry();
  });
  const readEntry = (e: yauzl.Entry) =>
    new Promise<Buffer>((res, rej) =>
      zip.openReadStream(e, (err, stream: Readable) => {
        if (err) return rej(err);
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("end", () => res(Buffer.concat(chunks)));
        stream.on("error", rej);
      }),
    );
  const layout = layoutOf([...entries.keys()]);
  if (!layout) {
    zip.close();
    return undefined;
  }
  const prefix = layout.root === "." ? "" : `${layout.root}/`;
  return {
    files: layout.files,
    listedNames: layout.namesFile ? parseNamesFile((await readEntry(entries.get(layout.namesFile)!)).toString("utf8")) : undefined,
    read: (f) => readEntry(entries.get(prefix + f.relPath)!),
    close: async () => zip.close(),
  };
}
