// Serves the ViT page for tests and the benchmark: the bundled entry, the exported model, onnxruntime-web's wasm files
// and the sample photos, all with COOP/COEP (onnxruntime-web's threads and WebGPU EP need cross-origin isolation).
import { createReadStream, existsSync, statSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { build } from "esbuild";
import { chromium, type Browser, type Page } from "playwright-core";
import { settings } from "../../lib/settings.ts";
import type { VitPageApi } from "./browser/entry.ts";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const TYPES: Record<string, string> = { ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm", ".onnx": "application/octet-stream", ".JPEG": "image/jpeg", ".html": "text/html" };

export type VitServer = { url: string; close(): Promise<void> };

export async function startVitServer(modelFile: string): Promise<VitServer> {
  const bundle = await build({ entryPoints: [path.join(import.meta.dirname, "browser", "entry.ts")], bundle: true, format: "esm", platform: "browser", target: "es2022", write: false, logLevel: "error" });
  const js = bundle.outputFiles[0]!.text;
  const html = '<!doctype html><html><head><meta charset="utf-8"><script type="module" src="/vit.js"></script></head><body>vit</body></html>';
  const ortDir = path.join(ROOT, "node_modules", "onnxruntime-web", "dist");
  const samples = path.join(settings().backboneDir, "imagenet-samples");
  const server = http.createServer((req, res) => {
    const headers = { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp", "Cache-Control": "no-store" };
    const u = new URL(req.url ?? "/", "http://x").pathname;
    const sendFile = (file: string) => {
      if (!existsSync(file) || !statSync(file).isFile()) {
        res.writeHead(404, headers).end();
        return;
      }
      res.writeHead(200, { ...headers, "content-type": TYPES[path.extname(file)] ?? "application/octet-stream", "content-length": statSync(file).size });
      createReadStream(file).pipe(res);
    };
    if (u === "/") res.writeHead(200, { ...headers, "content-type": "text/html" }).end(html);
    else if (u === "/vit.js") res.writeHead(200, { ...headers, "content-type": "text/javascript" }).end(js);
    else if (u === "/model.onnx") sendFile(modelFile);
    else if (u.startsWith("/ort/")) sendFile(path.join(ortDir, path.basename(u)));
    else if (u.startsWith("/samples/")) sendFile(path.join(samples, path.basename(u)));
    else res.writeHead(404, headers).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, close: () => new Promise((r) => server.close(() => r())) };
}

const BASE_ARGS = ["--headless", "--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"];

/** webgpu false: no --enable-unsafe-webgpu and navigator.gpu removed, as on a browser without WebGPU. */
export async function launchVitBrowser(opts: { webgpu: boolean; extraArgs?: string[] }): Promise<Browser> {
  return chromium.launch({ executablePath: "/usr/bin/chromium", args: [...BASE_ARGS, ...(opts.webgpu ? ["--enable-unsafe-webgpu"] : []), ...(opts.extraArgs ?? [])] });
}

export async function openVitPage(browser: Browser, url: string, opts: { webgpu: boolean }): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  // A string, not a function: the TypeScript loader would inject helpers the page does not have.
  if (!opts.webgpu) await page.addInitScript({ content: 'Object.defineProperty(Navigator.prototype, "gpu", { get: () => undefined, configurable: true });' });
  await page.goto(url);
  await page.waitForFunction(() => "vitReady" in globalThis, undefined, { timeout: 60_000 });
  return { page, errors };
}

/** Calls vit.<fn>(...args) in the page. */
export function callPage<K extends keyof VitPageApi>(page: Page, fn: K, ...args: Parameters<VitPageApi[K]>): Promise<Awaited<ReturnType<VitPageApi[K]>>> {
  return page.evaluate(
    ([f, a]) => ((globalThis as unknown as { vit: Record<string, (...x: unknown[]) => unknown> }).vit[f as string]!(...(a as unknown[])) as Promise<never>),
    [fn, args] as const,
  ) as Promise<Awaited<ReturnType<VitPageApi[K]>>>;
}
