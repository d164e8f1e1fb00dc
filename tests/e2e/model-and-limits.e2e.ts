// Review findings 8 and 9 against a real server: a replaced model is never used from the browser's cache, and
// rotating X-Forwarded-For does not buy a fresh upload budget.
import { copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { applyMigrations } from "../../lib/catalog/schema-engine";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser } from "playwright-core";
import { exportVitOnnx } from "../../models/export-vit";
import { settings } from "../../lib/settings";
import { launchChromium } from "./support/browser";
import { ROOT, startServer, type RunningServer } from "./support/server";

const MODEL_NAME = "e2e-stale-model.onnx";
const MODEL_FILE = path.join(ROOT, "public", "models", MODEL_NAME);
const LABELS = ["Agaricus arvensis", "Boletus edulis"];
const model = (bias: number[]) =>
  exportVitOnnx({ backboneDir: settings().backboneDir, modelId: `e2e-stale-${bias.join("-")}`, head: { weight: new Float32Array(2 * 192), bias: Float32Array.from(bias), labels: LABELS }, depth: 1 });

describe("a replaced model is never served from a cache", () => {
  let server: RunningServer;
  let browser: Browser | undefined;
  beforeAll(async () => {
    await writeFile(MODEL_FILE, model([2, 0]));
    server = await startServer({ DATABASE_URL: inject("databaseUrl"), PHOTO_STORE: inject("photoStore"), SHIPPED_MODEL: MODEL_NAME });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await rm(MODEL_FILE, { force: true });
  });

  it("names the model by its SHA-256, refuses the old hash after a swap, and the page downloads the new one", async () => {
    const first = await (await fetch(`${server.baseUrl}/api/model`)).json();
    expect(first.url).toBe(`/api/model/${first.sha256}`);
    const res = await fetch(server.baseUrl + first.url);
    expect(res.headers.get("cache-control")).toMatch(/immutable/);
    expect(Buffer.from(await res.arrayBuffer()).equals(await readFile(MODEL_FILE))).toBe(true);

    browser = await launchChromium({ webgpu: false });
    const page = await browser.newPage();
    await page.goto(`${server.baseUrl}/identify`);
    await page.waitForSelector("[data-testid=model-status][data-backend]", { timeout: 150_000 });
    const cachedUrls = () => page.evaluate(async () => Promise.all((await caches.keys()).filter((n) => n.startsWith("mushroom-id-models-")).map(async (n) => (await (await caches.open(n)).keys()).map((r) => new URL(r.url).pathname))).then((x) => x.flat()));
    expect(await cachedUrls()).toEqual([first.url]);

    // The model is withdrawn and replaced on the server (same file name, new bytes).
    await writeFile(MODEL_FILE + ".new", model([0, 2]));
    await copyFile(MODEL_FILE + ".new", MODEL_FILE);
    await rm(MODEL_FILE + ".new");
    const second = await (await fetch(`${server.baseUrl}/api/model`)).json();
    expect(second.sha256).not.toBe(first.sha256);
    expect((await fetch(server.baseUrl + first.url)).status).toBe(404);
    await page.reload();
    await page.waitForSelector("[data-testid=model-status][data-backend]", { timeout: 150_000 });
    expect(await cachedUrls()).toEqual([second.url]);
  });
});

describe("upload rate limit", () => {
  let server: RunningServer;
  let dir: string;
  beforeAll(async () => {
    // Its own catalog: the limiter counts in the database, and the shared one has the other tests' uploads.
    dir = await mkdtemp(path.join(os.tmpdir(), "e2e-limit-"));
    const url = `file:${path.join(dir, "catalog.db")}`;
    await applyMigrations(url);
    server = await startServer({ DATABASE_URL: url, PHOTO_STORE: path.join(dir, "photos"), UPLOAD_RATE_PER_MINUTE: "3" });
  });
  afterAll(async () => {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("keys on the TCP peer, so rotating X-Forwarded-For gives no fresh budget", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${server.baseUrl}/api/identify`, { method: "POST", body: new Uint8Array(0), headers: { "x-forwarded-for": `203.0.113.${i}`, "x-real-ip": `198.51.100.${i}` } });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 3)).toEqual([400, 400, 400]); // empty body: refused, but counted
    expect(statuses.slice(3)).toEqual([429, 429]);
  });
});
