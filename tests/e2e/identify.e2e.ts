// A person identifies a photo in the browser. Chromium's WebGPU here is SwiftShader (a software adapter), so the page
// must choose onnxruntime-web wasm and say why; ?backend= forces each backend, and all of them give the same top-5
// and draw an attention map. With WebGPU turned off, wasm runs too. The verdict and one caution notice are shown.
import path from "node:path";
import { afterEach, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launchChromium } from "./support/browser";
import { settings } from "../../lib/settings";

// A real field photo (Mushroom Observer, genus Trametes) through the shipped species model.
const PHOTO = path.join(settings().dataDir, "mushroom-observer-13", "Trametes", "110699.jpg");

type Run = { backend: string; choice: string; reason: string; top5: string[]; top: string; verdict: string; caution: string };

async function identify(page: Page, url: string): Promise<Run> {
  await page.goto(url);
  await page.waitForSelector("[data-testid=model-status][data-backend]", { timeout: 170_000 });
  const status = page.getByTestId("model-status");
  const backend = (await status.getAttribute("data-backend")) ?? "";
  const choice = (await status.getAttribute("data-choice")) ?? "";
  const reason = (await page.getByTestId("backend-reason").textContent()) ?? "";
  await page.setInputFiles("[data-testid=photo-input]", PHOTO);
  await page.getByRole("button", { name: /^Identify/ }).click();
  await page.waitForSelector("[data-testid=result]", { timeout: 170_000 });
  const candidates = page.locator("[data-testid=candidate]");
  expect(await candidates.count()).toBe(5);
  const top5: string[] = [];
  for (let i = 0; i < 5; i++) top5.push(((await candidates.nth(i).locator("a, span.font-semibold").first().textContent()) ?? "").trim());
  const top = (await candidates.first().textContent()) ?? "";
  const verdict = (await page.textContent("[data-testid=verdict]")) ?? "";
  expect(await page.getByTestId("caution-notice").count()).toBe(1);
  const caution = (await page.getByTestId("result").getByTestId("caution-notice").textContent()) ?? "";
  // The overlay has the crop drawn and the map painted over part of it (heat colour: red well above green and blue).
  expect(await page.getAttribute("[data-testid=attention-overlay]", "data-has-map")).toBe("yes");
  const paint = await page.$eval("[data-testid=attention-overlay]", (c) => {
    const canvas = c as HTMLCanvasElement;
    const d = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data;
    let nonzero = 0;
    let hot = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i] + d[i + 1] + d[i + 2] > 0) nonzero++;
      if (d[i] > d[i + 1] + 80 && d[i] > d[i + 2] + 80) hot++;
    }
    return { width: canvas.width, nonzero, hot, pixels: d.length / 4 };
  });
  expect(paint.width).toBe(224);
  expect(paint.nonzero).toBeGreaterThan(1000);
  expect(paint.hot).toBeGreaterThan(0.02 * paint.pixels); // some of the photo is marked...
  expect(paint.hot).toBeLessThan(0.6 * paint.pixels); // ...not all of it
  expect(await page.textContent("[data-testid=timing]")).toMatch(/in \d+ ms for 1 photo/);
  return { backend, choice, reason, top5, top, verdict, caution };
}

describe("identify in Chromium", () => {
  const base = inject("baseUrl");
  let browser: Browser | undefined;
  afterEach(async () => {
    await browser?.close();
    browser = undefined;
  });

  it("on a software adapter chooses wasm and says why; each forced backend gives the same top-5, never calling it safe", async () => {
    browser = await launchChromium({ webgpu: true });
    const auto = await identify(await browser.newPage(), `${base}/identify`);
    expect(auto).toMatchObject({ backend: "ort-wasm", choice: "software-adapter" });
    expect(auto.reason).toMatch(/swiftshader.*software adapter: WebGPU is emulated on the CPU/i);
    const runs = [auto];
    for (const forced of ["webgpu-engine", "ort-webgpu", "ort-wasm"]) {
      const r = await identify(await browser.newPage(), `${base}/identify?backend=${forced}`);
      expect(r, forced).toMatchObject({ backend: forced, choice: "forced" });
      runs.push(r);
    }
    for (const r of runs) {
      expect(r.top5, r.backend).toEqual(auto.top5);
      // The species model's classes are catalog taxa: the top candidate is one, with its edibility badge.
      expect(r.top).toMatch(/^[A-Z][a-z]+( [a-z-]+| sect\. [A-Z][a-z]+)?/);
      expect(r.top).not.toMatch(/Not a species in the catalog/);
      expect(r.verdict).not.toMatch(/safe to eat/i);
      expect(r.caution).toMatch(/Never eat a wild mushroom/);
      expect(r.caution).toMatch(/poison control/);
    }
  }, 900_000);

  it("without WebGPU runs wasm, says why, and gives the same answer; an unknown ?backend= is ignored with a note", async () => {
    browser = await launchChromium({ webgpu: false });
    const page = await browser.newPage();
    const r = await identify(page, `${base}/identify?backend=cuda`);
    expect(r).toMatchObject({ backend: "ort-wasm", choice: "only-one" });
    expect(r.top).not.toMatch(/Not a species in the catalog/);
    expect(await page.getByTestId("model-status").textContent()).toMatch(/Ignored \?backend=cuda/);
  });
});
