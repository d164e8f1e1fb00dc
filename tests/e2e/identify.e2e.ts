// A person identifies a photo in the browser: our WebGPU engine (SwiftShader here), and the wasm fallback
// with WebGPU turned off, must agree on the top candidate; the verdict, caution and overlay are shown.
import path from "node:path";
import { afterEach, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launchChromium } from "./support/browser";
import { settings } from "../../lib/settings";

const PHOTO = path.join(settings().backboneDir, "imagenet-samples", "n02113978_10037.JPEG"); // true class: Mexican hairless

async function identify(page: Page, base: string): Promise<{ backend: string; top: string; verdict: string; caution: string }> {
  await page.goto(`${base}/identify`);
  await page.waitForSelector("[data-testid=model-status][data-backend]", { timeout: 150_000 });
  const backend = (await page.getAttribute("[data-testid=model-status]", "data-backend")) ?? "";
  await page.setInputFiles("[data-testid=photo-input]", PHOTO);
  await page.getByRole("button", { name: /^Identify/ }).click();
  await page.waitForSelector("[data-testid=result]", { timeout: 150_000 });
  const top = (await page.locator("[data-testid=candidate]").first().textContent()) ?? "";
  const verdict = (await page.textContent("[data-testid=verdict]")) ?? "";
  const caution = (await page.getByTestId("result").getByTestId("caution-notice").textContent()) ?? "";
  // The overlay canvas has the crop drawn into it (non-zero size, non-blank pixels).
  const painted = await page.$eval("[data-testid=attention-overlay]", (c) => {
    const canvas = c as HTMLCanvasElement;
    const d = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data;
    let nonzero = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] + d[i + 1] + d[i + 2] > 0) nonzero++;
    return canvas.width === 224 && nonzero > 1000;
  });
  expect(painted).toBe(true);
  expect(await page.locator("[data-testid=candidate]").count()).toBe(5);
  expect(await page.textContent("[data-testid=timing]")).toMatch(/in \d+ ms for 1 photo/);
  return { backend, top, verdict, caution };
}

describe("identify in Chromium", () => {
  const base = inject("baseUrl");
  let browser: Browser | undefined;
  afterEach(async () => {
    await browser?.close();
    browser = undefined;
  });

  it("runs our WebGPU engine and the wasm fallback to the same answer, never calling it safe", async () => {
    browser = await launchChromium({ webgpu: true });
    const gpu = await identify(await browser.newPage(), base);
    await browser.close();
    browser = await launchChromium({ webgpu: false });
    const wasm = await identify(await browser.newPage(), base);

    expect(gpu.backend).toBe("webgpu-engine");
    expect(wasm.backend).toBe("ort-wasm");
    expect(gpu.top).toMatch(/^Mexican hairless/);
    expect(wasm.top).toMatch(/^Mexican hairless/);
    for (const r of [gpu, wasm]) {
      // An ImageNet class is no catalog species: unknown edibility, treated as not edible.
      expect(r.top).toContain("Edibility unknown");
      expect(r.verdict).toMatch(/do not eat/i);
      expect(r.verdict).not.toMatch(/safe to eat/i);
      expect(r.caution).toMatch(/Never eat a wild mushroom/);
      expect(r.caution).toMatch(/poison control/);
    }
  });
});
