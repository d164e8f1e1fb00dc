// The classifier in headless Chromium with WebGPU on SwiftShader (a software adapter): the choice is onnxruntime-web
// wasm without timing the GPU backends, and forcing each backend (?backend= on the page) gives the same top-5 and the
// same attention map on the same browser-preprocessed tensor. With WebGPU turned off, wasm runs, says why, and gets
// the 17-photo known-answer test right. The choice logic itself (timing, cache, refusals) is in lib/vit/classifier.test.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { callPage, launchVitBrowser, openVitPage, startVitServer, type VitServer } from "./browser-harness.ts";
import { modelPath, samples } from "./fixtures.ts";
import { relativeError } from "../../lib/attention/reference.ts";
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
  it("on SwiftShader chooses onnxruntime-web wasm; forcing each backend gives the same top-5 and attention map", async () => {
    const { page: p, errors } = await page(true);
    const auto = await callPage(p, "load", "auto");
    expect(auto.backend).toBe("ort-wasm");
    expect(auto.choice.how).toBe("software-adapter");
    expect(auto.refused.map((r) => r.backend)).toEqual(["webgpu-engine", "ort-webgpu"]);
    for (const r of auto.refused) expect(r.reason).toMatch(/swiftshader.*is a software adapter: WebGPU is emulated on the CPU/i);

    const file = "n02127052_10040.JPEG"; // the least confident correct photo
    const out = [];
    for (const backend of ["ort-wasm", "webgpu-engine", "ort-webgpu"] as const) {
      const load = await callPage(p, "load", backend, { force: backend });
      expect(load.backend).toBe(backend);
      expect(load.choice.how).toBe("forced");
      const [r] = await callPage(p, "classify", backend, [file]);
      out.push({ backend, ...r! });
    }
    const [wasm, ...gpu] = out;
    expect(wasm!.top1).toBe(287);
    for (const r of gpu) {
      expect(r.top5, r.backend).toEqual(wasm!.top5);
      expect(Math.max(...r.logits.map((v, i) => Math.abs(v - wasm!.logits[i]!))), r.backend).toBeLessThan(1e-3);
      expect(relativeError(r.rollout!, wasm!.rollout!), r.backend).toBeLessThan(1e-3);
    }
    expect(wasm!.rollout).toHaveLength(197);
    expect(errors).toEqual([]);
  }, 900_000);

  it("with WebGPU off, falls back to onnxruntime-web wasm, says why, and gets >= 16 of 17 photos right", async () => {
    const { page: p, errors } = await page(false);
    const load = await callPage(p, "load", "auto");
    expect(load.backend).toBe("ort-wasm");
    expect(load.choice.how).toBe("only-one");
    expect(load.refused.map((r) => r.backend)).toEqual(["webgpu-engine", "ort-webgpu"]);
    for (const r of load.refused) expect(r.reason).toMatch(/navigator\.gpu is missing/);
    const items = samples();
    const out = await callPage(p, "classify", "auto", items.map((s) => path.basename(s.file)));
    const right = out.filter((o, i) => o.top1 === items[i]!.index).length;
    expect(right).toBeGreaterThanOrEqual(16);
    expect(out.every((o) => o.attentionLength === 3 * 197 && o.rollout?.length === 197)).toBe(true);
    expect(errors).toEqual([]);
  }, 600_000);
});
