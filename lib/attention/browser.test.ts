// The same kernels once in headless Chromium: esbuild bundles browser/entry.ts, a local 127.0.0.1 server serves it
// (a secure context, so navigator.gpu exists), and the page compares the GPU result with the float64 reference.
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { build } from "esbuild";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AttentionShape } from "./index.ts";
import type { BrowserCaseResult } from "./browser/entry.ts";

let server: http.Server;
let browser: Browser;
let url: string;

beforeAll(async () => {
  const bundle = await build({
    entryPoints: [path.join(import.meta.dirname, "browser/entry.ts")],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
  });
  const js = bundle.outputFiles[0].text;
  const html = '<!doctype html><html><head><script type="module" src="/attention.js"></script></head><body>attention test</body></html>';
  server = http.createServer((req, res) => {
    const isJs = req.url === "/attention.js";
    res.writeHead(200, { "content-type": isJs ? "text/javascript" : "text/html" });
    res.end(isJs ? js : html);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--enable-unsafe-webgpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

describe("flash attention in headless Chromium (WebGPU)", () => {
  it("forward N=197, 2 heads, d=64 matches the float64 reference in the page", async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(url);
    await page.waitForFunction(() => "runAttentionCase" in globalThis);
    const shape: AttentionShape = { batch: 1, heads: 2, n: 197, d: 64 };
    const result = await page.evaluate(
      (s) => (globalThis as unknown as { runAttentionCase: (s: AttentionShape) => Promise<BrowserCaseResult> }).runAttentionCase(s),
      shape,
    );
    expect(errors).toEqual([]);
    expect(result.adapter).not.toBe("");
    expect(result.relErrorO).toBeLessThan(1e-5);
    expect(result.relErrorLse).toBeLessThan(1e-5);
    await page.close();
  });
});
