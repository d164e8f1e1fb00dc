// The classifier in headless Chromium: our WebGPU engine (SwiftShader) against onnxruntime-web wasm on the same
// browser-preprocessed tensor, the 17-photo known-answer test on onnxruntime-web wasm, and the fallback chain with
// WebGPU turned off choosing onnxruntime-web and saying why.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { callPage, launchVitBrowser, openVitPage, startVitServer, type VitServer } from "./browser-harness.ts";
import { modelPath, samples } from "./fixtures.ts";
import path from "node:path";

let server: VitServer;
const browsers: Browser[] = [];

beforeAll(async () => {
  server = await startVitServer(modelPath());
});
afterAll(async () => {
  for (const b of browsers) await b.close();
  await server?.close();
});

async function page(webgpu: boolean) {
  const b = await launchVitBrowser({ webgpu });
  browsers.push(b);
  return openVitPage(b, server.url, { webgpu });
}

describe("ViT classifier in headless Chromium", () => {
  it("picks our WebGPU engine when WebGPU works, agreeing with onnxruntime-web wasm within 1e-3", async () => {
    const { page: p, errors } = await page(true);
    const engine = await callPage(p, "load", "engine");
    expect(engine.backend).toBe("webgpu-engine");
    expect(engine.adapter).toMatch(/swiftshader|software|\w/i);
    const ort = await callPage(p, "load", "wasm", ["ort-wasm"]);
    expect(ort.backend).toBe("ort-wasm");
    const file = "n02127052_10040.JPEG"; // the least confident correct photo
    const [a] = await callPage(p, "classify", "engine", [file]);
    const [b] = await callPage(p, "classify", "wasm", [file]);
    let diff = 0;
    for (let i = 0; i < a!.logits.length; i++) diff = Math.max(diff, Math.abs(a!.logits[i]! - b!.logits[i]!));
    expect(diff).toBeLessThan(1e-3);
    expect(a!.top1).toBe(287);
    expect(a!.attentionLength).toBe(3 * 197);
    expect(errors).toEqual([]);
  }, 600_000);

  it("with WebGPU off, falls back to onnxruntime-web wasm, says why, and gets >= 16 of 17 photos right", async () => {
    const { page: p, errors } = await page(false);
    const load = await callPage(p, "load", "auto");
    expect(load.backend).toBe("ort-wasm");
    expect(load.refused.map((r) => r.backend)).toEqual(["webgpu-engine", "ort-webgpu"]);
    for (const r of load.refused) expect(r.reason).toMatch(/navigator\.gpu is missing/);
    const items = samples();
    const out = await callPage(p, "classify", "auto", items.map((s) => path.basename(s.file)));
    const right = out.filter((o, i) => o.top1 === items[i]!.index).length;
    expect(right).toBeGreaterThanOrEqual(16);
    expect(out.every((o) => o.attentionLength === 3 * 197)).toBe(true);
    expect(errors).toEqual([]);
  }, 600_000);
});
