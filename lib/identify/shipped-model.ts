// Which model the site serves: a trained mushroom-species model when one has been shipped, else the ImageNet
// backbone export. Its URL carries the SHA-256 of its bytes, so a retrained or withdrawn model can never be served
// from a browser's cache under the old address.
import { createHash } from "node:crypto";
import { createReadStream, existsSync, statSync } from "node:fs";
import path from "node:path";
import { settings } from "../settings";

// Relative to the working directory: the server and the scripts run from the repo root (Next's server
// bundle has no import.meta.dirname).
export const MODEL_DIR = path.resolve("public/models");
const PREFERENCE = ["mushroom-species.onnx", "vit-tiny-imagenet.onnx"];

export type ShippedModel = { file: string; name: string; sha256: string; bytes: number; /** Content-addressed URL. */ url: string };

const hashes = new Map<string, { key: string; sha256: Promise<string> }>();

/** SHA-256 of a file, recomputed only when its size or modification time changes. */
export function fileSha256(file: string): Promise<string> {
  const st = statSync(file);
  const key = `${st.size}:${st.mtimeMs}`;
  const hit = hashes.get(file);
  if (hit?.key === key) return hit.sha256;
  const sha256 = new Promise<string>((resolve, reject) => {
    const h = createHash("sha256");
    createReadStream(file)
      .on("data", (d) => h.update(d))
      .on("end", () => resolve(h.digest("hex")))
      .on("error", reject);
  });
  hashes.set(file, { key, sha256 });
  sha256.catch(() => hashes.delete(file));
  return sha256;
}

/** The model file to serve (no hashing): for the server-side classifier. */
export function shippedModelFile(dir = MODEL_DIR, chosen = settings().shippedModel): { file: string; name: string } | null {
  for (const name of chosen ? [chosen] : PREFERENCE) {
    // Chosen at run time: without the hint, Next's file tracing matches every file under the project.
    const file = path.join(/* turbopackIgnore: true */ dir, name);
    if (existsSync(file)) return { file, name };
  }
  return null;
}

export async function shippedModel(dir = MODEL_DIR, chosen = settings().shippedModel): Promise<ShippedModel | null> {
  const m = shippedModelFile(dir, chosen);
  if (!m) return null;
  const sha256 = await fileSha256(m.file);
  return { ...m, sha256, bytes: statSync(m.file).size, url: `/api/model/${sha256}` };
}
