// The server identify path and the contribution queue, against the production server, with real and hostile uploads.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createCatalog, type Catalog } from "../../lib/catalog/client";
import { settings } from "../../lib/settings";
import { pngBomb } from "../support/png-bomb";

const SAMPLES = path.join(settings().backboneDir, "imagenet-samples");

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

function form(parts: { name: string; value: Blob | string; filename?: string }[]): FormData {
  const f = new FormData();
  for (const p of parts) typeof p.value === "string" ? f.append(p.name, p.value) : f.append(p.name, p.value, p.filename ?? "photo.jpg");
  return f;
}

describe("POST /api/identify and /api/contributions", () => {
  const base = inject("baseUrl");
  const store = inject("photoStore");
  let db: Catalog;
  let expected: Record<string, { label: string; index: number }>;
  beforeAll(async () => {
    db = createCatalog(inject("databaseUrl"));
    expected = JSON.parse(await readFile(path.join(SAMPLES, "expected.json"), "utf8"));
  });
  afterAll(async () => db?.$disconnect());

  it("classifies a real photo on the server, with verdict and caution, and stores nothing", async () => {
    const file = "n02113978_10037.JPEG";
    const bytes = await readFile(path.join(SAMPLES, file));
    const res = await fetch(`${base}/api/identify`, { method: "POST", body: form([{ name: "photo", value: new Blob([bytes]) }]) });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.backend).toBe("onnxruntime-node");
    expect(body.candidates).toHaveLength(5);
    expect(body.candidates[0].label).toBe(expected[file].label);
    expect(body.candidates[0].probability).toBeGreaterThan(body.candidates[1].probability);
    expect(body.verdict.caution).toMatch(/expert/i);
    // An ImageNet class is no catalog species: its edibility counts as unknown, never edible.
    expect(JSON.stringify(body.verdict)).not.toMatch(/safe to eat/i);
    expect(await filesUnder(store)).toEqual([]);
  });

  it("combines several photos of one find into one prediction", async () => {
    const a = await readFile(path.join(SAMPLES, "n02113978_10037.JPEG"));
    const mirrored = await sharp(a).flop().jpeg().toBuffer();
    const res = await fetch(`${base}/api/identify`, {
      method: "POST",
      body: form([{ name: "photo", value: new Blob([a]) }, { name: "photo", value: new Blob([new Uint8Array(mirrored)]) }]),
    });
    expect(res.status).toBe(200);
    expect((await res.json()).candidates[0].label).toBe(expected["n02113978_10037.JPEG"].label);
  });

  it("answers a form post from a browser without JavaScript with an HTML result", async () => {
    const bytes = await readFile(path.join(SAMPLES, "n02113978_10037.JPEG"));
    const res = await fetch(`${base}/api/identify?format=html`, { method: "POST", body: form([{ name: "photo", value: new Blob([bytes]) }]) });
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toMatch(/Caution/);
    expect(html).toMatch(/Candidates/);
  });

  describe("refuses bad uploads with a clear 4xx and stores nothing", () => {
    let bomb: Buffer;
    let truncated: Buffer;
    beforeAll(async () => {
      bomb = await pngBomb(20000, 20000);
      const full = await readFile(path.join(SAMPLES, "n01514668_10054.JPEG"));
      truncated = full.subarray(0, Math.floor(full.length / 2));
    });

    const cases: [string, () => RequestInit, number, RegExp][] = [
      ["an empty body", () => ({ body: new Uint8Array(0) }), 400, /empty-body/],
      ["a text file named .jpg", () => ({ body: form([{ name: "photo", value: new Blob(["hello, not a photo"]), filename: "mushroom.jpg" }]) }), 415, /not-an-image/],
      ["a 20000 x 20000 PNG", () => ({ body: form([{ name: "photo", value: new Blob([new Uint8Array(bomb)]), filename: "big.png" }]) }), 413, /too-many-pixels/],
      ["a truncated JPEG", () => ({ body: form([{ name: "photo", value: new Blob([new Uint8Array(truncated)]) }]) }), 422, /corrupt/],
      ["a huge body", () => ({ body: new Uint8Array(settings().uploadMaxBytes + 1) }), 413, /body-too-large/],
      ["a path-traversal file name", () => ({ body: form([{ name: "photo", value: new Blob(["x"]), filename: "../../../etc/passwd" }]) }), 400, /bad-filename/],
      ["six photos of one find", () => ({ body: form(Array.from({ length: 6 }, () => ({ name: "photo", value: new Blob([new Uint8Array(truncated)]) }))) }), 413, /too-many-photos/],
    ];
    for (const endpoint of ["identify", "contributions"]) {
      for (const [what, init, status, code] of cases) {
        it(`${endpoint}: ${what}`, async () => {
          const res = await fetch(`${base}/api/${endpoint}`, { method: "POST", ...init() });
          const body = await res.json();
          expect(res.status, JSON.stringify(body)).toBe(status);
          expect(body.error).toMatch(code);
          expect(body.message.length).toBeGreaterThan(5);
          expect(await filesUnder(store)).toEqual([]);
          expect(await db.photo.count()).toBe(0);
        });
      }
    }
  });

  it("queues a contributed photo for review, stripped of EXIF/GPS, and never serves it before approval", async () => {
    const original = await readFile(path.join(SAMPLES, "n03062245_1030.JPEG"));
    const withGps = await sharp(original)
      .withExif({ IFD0: { Copyright: "secret-owner" }, IFD3: { GPSLatitudeRef: "N", GPSLatitude: "51/1 30/1 0/1" } })
      .jpeg()
      .toBuffer();
    expect((await sharp(withGps).metadata()).exif).toBeDefined();
    const noConsent = await fetch(`${base}/api/contributions`, {
      method: "POST",
      body: form([{ name: "photo", value: new Blob([new Uint8Array(withGps)]) }, { name: "species", value: "Agaricus arvensis" }]),
    });
    expect(noConsent.status).toBe(400);
    const res = await fetch(`${base}/api/contributions`, {
      method: "POST",
      body: form([
        { name: "photo", value: new Blob([new Uint8Array(withGps)]) },
        { name: "species", value: "Agaricus arvensis" },
        { name: "consent", value: "yes" },
      ]),
    });
    expect(res.status).toBe(201);
    const { photoHash } = await res.json();
    const row = await db.photo.findUnique({ where: { contentHash: photoHash }, include: { species: true } });
    expect(row?.status).toBe("PENDING_REVIEW");
    expect(row?.species.scientificName).toBe("Agaricus arvensis");
    const files = await filesUnder(store);
    expect(files.length).toBeGreaterThan(0);
    expect(files.every((f) => f.startsWith(store + path.sep))).toBe(true);
    for (const f of files) {
      const meta = await sharp(await readFile(f)).metadata();
      expect(meta.exif, f).toBeUndefined();
    }
    expect((await fetch(`${base}/api/photos/${photoHash}/thumb`)).status).toBe(404);
  });
});
