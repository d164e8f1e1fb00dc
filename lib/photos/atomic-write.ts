// Files appear whole or not at all: write a temp file beside the target, then rename (atomic on one filesystem).
import { randomBytes } from "node:crypto";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";

const madeDirs = new Set<string>();

export async function writeFileAtomic(file: string, data: Uint8Array): Promise<void> {
  const dir = path.dirname(file);
  if (!madeDirs.has(dir)) {
    await mkdir(dir, { recursive: true });
    madeDirs.add(dir);
  }
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, file);
  } catch (e) {
    madeDirs.delete(dir); // the folder may have been removed under us; recreate next time
    await rm(tmp, { force: true });
    throw e;
  }
}
