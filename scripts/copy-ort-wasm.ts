// Serves onnxruntime-web's WebAssembly runtime from public/ort/<content hash>/ (same origin, so COEP allows it) and
// records that folder in public/ort/current.json. A new runtime gets a new URL, so browsers and the service worker
// may cache each one forever without ever running a stale copy.
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

// The package exports no package.json; its main entry sits in dist/.
const dist = path.dirname(createRequire(import.meta.url).resolve("onnxruntime-web"));
const files = readdirSync(dist)
  .filter((f) => /^ort-wasm-simd-threaded.*\.(wasm|mjs)$/.test(f))
  .sort();
const h = createHash("sha256");
for (const f of files) h.update(f).update(readFileSync(path.join(dist, f)));
const version = h.digest("hex").slice(0, 16);
const root = path.resolve("public/ort");
const out = path.join(root, version);
mkdirSync(out, { recursive: true });
for (const f of files) copyFileSync(path.join(dist, f), path.join(out, f));
for (const e of readdirSync(root, { withFileTypes: true })) if (e.isDirectory() && e.name !== version) rmSync(path.join(root, e.name), { recursive: true, force: true });
for (const e of readdirSync(root)) if (/\.(wasm|mjs)$/.test(e)) rmSync(path.join(root, e)); // flat copies of older layouts
writeFileSync(path.join(root, "current.json"), JSON.stringify({ base: `/ort/${version}/`, files }, null, 1));
console.log(`onnxruntime-web runtime in ${out} (${files.length} files)`);
