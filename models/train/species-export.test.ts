// The shipped model: committed half-precision weights + the backbone assemble into the exact ONNX the card was made
// from; damaged weights or another backbone are refused; a real shipped manifest in the repo assembles.
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { settings } from "../../lib/settings";
import { readOnnxModel } from "../../lib/vit/onnx/read.ts";
import { parseModelMeta } from "../../lib/vit/model-meta.ts";
import { assembleShipped, readManifest, readShippedPrototypes, shipSpeciesModel, SHIPPED_DIR } from "./species-export.ts";

const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

describe("shipped species model", () => {
  it("round-trips: ship, then assemble to the same bytes; refuses damaged weights", () => {
    const root = mkdtempSync(path.join(os.tmpdir(), "ship-"));
    const C = 3;
    const head = { weight: Float32Array.from({ length: C * 192 }, (_, i) => Math.sin(i) / 10), bias: Float32Array.from([0.1, -0.2, 0.3]) };
    const { manifest, onnx } = shipSpeciesModel(
      { modelId: "test-ship", variant: { name: "linear probe (frozen backbone)", tta: true, fineTunedBlock: null }, labels: ["Amanita muscaria", "Boletus edulis", "Trametes"], temperature: 0.8, abstainThreshold: 0.7, head, overrides: new Map(), card: "card.json", prototypes: { labels: ["Amanita muscaria"], counts: [3], vectors: new Float32Array(192).fill(0.1), dim: 192, temperature: 0.05, alpha: 0.9 } },
      settings().backboneDir,
      root,
    );
    const meta = parseModelMeta(readOnnxModel(onnx).metadata);
    expect(meta).toMatchObject({ labels: ["Amanita muscaria", "Boletus edulis", "Trametes"], temperature: 0.8, abstainThreshold: 0.7, tta: "mirror" });
    const out = mkdtempSync(path.join(os.tmpdir(), "assembled-"));
    const r = assembleShipped(path.join(root, "test-ship"), settings().backboneDir, out);
    expect(r.written).toBe(true);
    expect(r.sameBytesAsTrained).toBe(true);
    expect(sha(readFileSync(r.file))).toBe(manifest.onnx.sha256);
    expect(assembleShipped(path.join(root, "test-ship"), settings().backboneDir, out).written).toBe(false);
    const protos = readShippedPrototypes(path.join(root, "test-ship"));
    expect(protos.set.taxa.map((t) => t.name)).toEqual(["Amanita muscaria"]);
    expect(protos.set.taxa[0]!.vector[5]).toBeCloseTo(0.1, 3);
    // One flipped byte in the committed weights: refused before anything is written.
    const wfile = path.join(root, "test-ship", manifest.weights.file);
    const w = readFileSync(wfile);
    w[10] = w[10]! ^ 0xff;
    writeFileSync(wfile, w);
    expect(() => assembleShipped(path.join(root, "test-ship"), settings().backboneDir, mkdtempSync(path.join(os.tmpdir(), "x-")))).toThrow(/does not match its manifest/);
  });

  it("refuses an unusable abstain threshold", () => {
    const root = mkdtempSync(path.join(os.tmpdir(), "ship-"));
    const head = { weight: new Float32Array(2 * 192), bias: new Float32Array(2) };
    expect(() =>
      shipSpeciesModel({ modelId: "bad", variant: { name: "x", tta: false, fineTunedBlock: null }, labels: ["A a", "B b"], temperature: 1, abstainThreshold: 1, head, overrides: new Map(), card: "c", prototypes: { labels: [], counts: [], vectors: new Float32Array(0), dim: 192, temperature: 0.05, alpha: 0.9 } }, settings().backboneDir, root),
    ).toThrow(/refusing to ship bad/);
  });

  it.skipIf(!existsSync(path.join(SHIPPED_DIR, "mushroom-species", "manifest.json")))("the committed species model assembles from ../shared and serves catalog taxa", () => {
    const m = readManifest(path.join(SHIPPED_DIR, "mushroom-species"));
    expect(m.labels.length).toBeGreaterThan(300);
    const out = mkdtempSync(path.join(os.tmpdir(), "assembled-"));
    const r = assembleShipped(path.join(SHIPPED_DIR, "mushroom-species"), settings().backboneDir, out);
    const meta = parseModelMeta(readOnnxModel(readFileSync(r.file)).metadata);
    expect(meta.labels).toEqual(m.labels);
    expect(meta.abstainThreshold).toBe(m.abstainThreshold);
    expect(meta.labels).not.toContain("tench, Tinca tinca");
  });
});
