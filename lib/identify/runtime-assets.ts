// Where the browser loads onnxruntime-web's wasm runtime from: the content-hashed folder scripts/copy-ort-wasm.ts
// wrote (public/ort/<hash>/), named in public/ort/current.json.
import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

const manifest = z.object({ base: z.string().regex(/^\/ort\/[0-9a-f]{16}\/$/) });

export function ortRuntimeBase(root = path.resolve("public/ort")): string {
  try {
    return manifest.parse(JSON.parse(readFileSync(path.join(root, "current.json"), "utf8"))).base;
  } catch {
    throw new Error("public/ort/current.json is missing or invalid: run `npm run prepare:models`");
  }
}
