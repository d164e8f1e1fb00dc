// The server identify path and the contribution queue, against the production server, with real and hostile uploads.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createCatalog, type Catalog } from "../../lib/catalog/client";
import { settings } from "../../lib/settings";
import { pngBomb } from "../support/png-bomb";

const SAMPLES = path.join(settings().backboneDir, "imagenet-samples");
/** A real field photo from the shared data (Mushroom Observer, genus Trametes). */
const MUSHROOM = path.join(settings().dataDir, "mushroom-observer-13", "Trametes", "110699.jpg");

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
  /** The store already holds the seeded photo folders: "stores nothing" means no file beyond those. */
  let seeded: string[];
  const newFiles = async () => (await filesUnder(store)).filter((f) => !seeded.includes(f));
  beforeAll(async () => {
    seeded = await filesUnder(store);
    db = createCatalog(inject("databaseUrl"));
  });
  afterAll(async () => db?.$disconnect());

  it("classifies a real mushroom photo on the server with the shipped species model, and stores nothing", async () => {
    const bytes = await readFile(MUSHROOM);
    const res = await fetch(`${base}/api/identify`, { method: "POST", body: form([{ name: "photo", value: new Blob([bytes]) }]) });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.backend).toBe("onnxruntime-node");
    expect(body.modelId).toBe("mushroom-species");
    expect(body.candidates).toHaveLength(5);
    // Every candidate is a catalog taxon with its facts: the ImageNet classes are no longer served.
    for (const c of body.candidates) expect(c.facts?.slug, c.label).toMatch(/^[a-z0-9-]+$/);
    expect(body.candidates[0].probability).toBeGreaterThanOrEqual(body.candidates[1].probability);
    expect(body.verdict.caution).toMatch(/expert/i);
    expect(JSON.stringify(body.verdict)).not.toMatch(/safe to eat/i);
    expect(body.factsFrom).toBe("catalog");
    expect(await newFiles()).toEqual([]);
  });

  it("combines several photos of one find into one prediction", async () => {
    const a = await readFile(path.join(SAMPLES, "n02113978_10037.JPEG"));
    const mirrored = await sharp(a).flop().jpeg().toBuffer();
    const res = await fetch(`${base}/api/identify`, {
      method: "POST",
      body: form([{ name: "photo", value: new Blob([a]) }, { name: "photo", value: new Blob([new Uint8Array(mirrored)]) }]),
    });
    expect(res.status).toBe(200);
    const both = await res.json();
    expect(both.candidates).toHaveLength(5);
    expect(both.candidates.every((c: { facts: unknown }) => c.facts !== null)).toBe(true);
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
          expect(await newFiles()).toEqual([]);
          expect(await db.photo.count({ where: { status: { not: "APPROVED" } } })).toBe(0);
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
    const files = await newFiles();
    expect(files.length).toBeGreaterThan(0);
    expect(files.every((f) => f.startsWith(store + path.sep))).toBe(true);
    for (const f of files) {
      const meta = await sharp(await readFile(f)).metadata();
      expect(meta.exif, f).toBeUndefined();
    }
    expect((await fetch(`${base}/api/photos/${photoHash}/thumb`)).status).toBe(404);
  });

  // Review finding 12: a JPEG comment (COM) survived into stored contributions.
  it("stores no comment segment of a contributed JPEG", async () => {
    const base64 = await sharp({ create: { width: 120, height: 90, channels: 3, background: "#6a4" } }).jpeg().toBuffer();
    const com = Buffer.from("GPS 51.5,-0.12 owner alice@example.org");
    const seg = Buffer.concat([Buffer.from([0xff, 0xfe, (com.length + 2) >> 8, (com.length + 2) & 255]), com]);
    const withCom = Buffer.concat([base64.subarray(0, 2), seg, base64.subarray(2)]);
    const before = await newFiles();
    const res = await fetch(`${base}/api/contributions`, {
      method: "POST",
      body: form([{ name: "photo", value: new Blob([new Uint8Array(withCom)]) }, { name: "species", value: "Boletus edulis" }, { name: "consent", value: "yes" }]),
    });
    expect(res.status).toBe(201);
    const added = (await newFiles()).filter((f) => !before.includes(f));
    expect(added.length).toBeGreaterThan(0);
    for (const f of added) expect((await readFile(f)).includes(Buffer.from("alice@example.org")), f).toBe(false);
  });

  // Review finding 11: the facts endpoint read JSON of any size.
  it("caps the facts request body and validates it", async () => {
    const huge = JSON.stringify({ labels: ["Amanita phalloides"], pad: "x".repeat(100_000) });
    expect((await fetch(`${base}/api/species/facts`, { method: "POST", body: huge, headers: { "content-type": "application/json" } })).status).toBe(413);
    expect((await fetch(`${base}/api/species/facts`, { method: "POST", body: "{not json", headers: { "content-type": "application/json" } })).status).toBe(400);
    const ok = await fetch(`${base}/api/species/facts`, { method: "POST", body: JSON.stringify({ labels: ["Galerina autumnalis"] }) });
    expect(ok.status).toBe(200);
    expect((await ok.json())[0].species.scientificName).toBe("Galerina marginata");
  });
});
