// Serves onnxruntime-web's WebAssembly runtime from public/ort/ (same origin, so COEP allows it).
import { copyFileSync, mkdirSync, readdirSync, statSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

// The package exports no package.json; its main entry sits in dist/.
const dist = path.dirname(createRequire(import.meta.url).resolve("onnxruntime-web"));
const out = path.resolve("public/ort");
mkdirSync(out, { recursive: true });
let copied = 0;
for (const f of readdirSync(dist).filter((f) => /^ort-wasm-simd-threaded.*\.(wasm|mjs)$/.test(f))) {
  const src = path.join(dist, f);
  const dst = path.join(out, f);
  if (existsSync(dst) && statSync(dst).size === statSync(src).size && statSync(dst).mtimeMs >= statSync(src).mtimeMs) continue;
  copyFileSync(src, dst);
  copied++;
}
console.log(`onnxruntime-web runtime in ${out} (${copied} files updated)`);
