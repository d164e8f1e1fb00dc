// The safety path in the real UI: a model whose candidates are catalog species puts a deadly one at 10% behind an
// edible one at 85%. The model is a real ONNX export of the backbone with a replaced head whose weights are zero and
// whose biases are log(0.85, 0.10, 0.05), so every photo gets exactly those probabilities in every runtime.
import { rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser } from "playwright-core";
import { exportVitOnnx } from "../../models/export-vit";
import { settings } from "../../lib/settings";
import { launchChromium } from "./support/browser";
import { ROOT, startServer, type RunningServer } from "./support/server";

const MODEL_NAME = "e2e-deadly-behind-edible.onnx";
const MODEL_FILE = path.join(ROOT, "public", "models", MODEL_NAME);
const LABELS = ["Agaricus arvensis", "Amanita virosa", "Agaricus campestris"];
const PHOTO = path.join(settings().backboneDir, "imagenet-samples", "n03062245_1030.JPEG");

describe("danger warning for a deadly candidate behind an edible one", () => {
  let server: RunningServer;
  let browser: Browser | undefined;
  beforeAll(async () => {
    const head = { weight: new Float32Array(LABELS.length * 192), bias: Float32Array.from([0.85, 0.1, 0.05].map(Math.log)), labels: LABELS };
    await writeFile(MODEL_FILE, exportVitOnnx({ backboneDir: settings().backboneDir, modelId: "e2e-danger", head, depth: 1 }));
    server = await startServer({ DATABASE_URL: inject("databaseUrl"), PHOTO_STORE: inject("photoStore"), SHIPPED_MODEL: MODEL_NAME });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await rm(MODEL_FILE, { force: true });
  });

  it("shows the danger warning naming Amanita virosa, the source-qualified verdict and the caution, in the browser", async () => {
    browser = await launchChromium({ webgpu: false });
    const page = await browser.newPage();
    await page.goto(`${server.baseUrl}/identify`);
    await page.waitForSelector("[data-testid=model-status][data-backend]", { timeout: 150_000 });
    await page.setInputFiles("[data-testid=photo-input]", PHOTO);
    await page.getByRole("button", { name: /^Identify/ }).click();
    await page.waitForSelector("[data-testid=result]", { timeout: 150_000 });

    const danger = await page.getByTestId("danger-warning").textContent();
    expect(danger).toMatch(/Amanita virosa/);
    expect(danger).toMatch(/10/);
    const verdict = (await page.getByTestId("verdict").textContent()) ?? "";
    expect(await page.getAttribute("[data-testid=verdict]", "data-status")).toBe("identified");
    expect(verdict).toMatch(/Agaricus arvensis/);
    expect(verdict).not.toMatch(/safe to eat/i);
    const candidates = await page.locator("[data-testid=candidate]").allTextContents();
    expect(candidates[0]).toMatch(/^Agaricus arvensis.*85(\.0)?%/);
    expect(candidates[1]).toMatch(/^Amanita virosa.*Deadly.*10(\.0)?%/);
    expect(await page.getByTestId("result").getByTestId("caution-notice").textContent()).toMatch(/Never eat a wild mushroom/);
  });

  // Review finding 6: when the facts lookup failed, every candidate became "unknown" and the warnings vanished.
  it("keeps the warning from the bundled tables when the catalog's facts cannot be fetched, and says so", async () => {
    browser ??= await launchChromium({ webgpu: false });
    const page = await browser.newPage();
    await page.route("**/api/species/facts", (route) => route.fulfill({ status: 500, body: "down" }));
    await page.goto(`${server.baseUrl}/identify?backend=ort-wasm`);
    await page.waitForSelector("[data-testid=model-status][data-backend]", { timeout: 150_000 });
    await page.setInputFiles("[data-testid=photo-input]", PHOTO);
    await page.getByRole("button", { name: /^Identify/ }).click();
    await page.waitForSelector("[data-testid=result]", { timeout: 150_000 });
    expect(await page.getByTestId("facts-fallback").textContent()).toMatch(/full check did not run/);
    expect(await page.getByTestId("danger-warning").textContent()).toMatch(/Amanita virosa/);
    expect(await page.getByTestId("result").getByTestId("caution-notice").count()).toBe(1);
  });

  it("gives the same warning on the server path", async () => {
    const { readFile } = await import("node:fs/promises");
    const body = new FormData();
    body.append("photo", new Blob([new Uint8Array(await readFile(PHOTO))]), "photo.jpg");
    const res = await fetch(`${server.baseUrl}/api/identify`, { method: "POST", body });
    expect(res.status).toBe(200);
    const out = await res.json();
    expect(out.modelId).toBe("e2e-danger");
    expect(out.verdict.warnings.some((w: { kind: string; scientificName: string }) => w.kind === "danger" && w.scientificName === "Amanita virosa")).toBe(true);
  });
});
