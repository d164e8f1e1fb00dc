import { describe, expect, it } from "vitest";
import { buildResult, labelsNeedingFacts } from "../../lib/identify/result";
import type { CandidateFacts, SpeciesFacts } from "../../lib/identify/species-facts";

const facts = (label: string, edibility: SpeciesFacts["edibility"], lookalikes: SpeciesFacts["lookalikes"] = []): CandidateFacts => ({
  label,
  species: {
    slug: label.toLowerCase().replace(" ", "-"),
    scientificName: label,
    rank: "species",
    commonName: null,
    edibility,
    edibilitySource: "Test source",
    edibilityNote: null,
    photos: [],
    lookalikes,
  },
});

/** A distribution over `labels` with the given probabilities (the rest shared evenly). */
function dist(labels: string[], given: Record<string, number>): Float32Array {
  const rest = labels.filter((l) => !(l in given));
  const left = 1 - Object.values(given).reduce((a, b) => a + b, 0);
  return Float32Array.from(labels.map((l) => given[l] ?? left / Math.max(1, rest.length)));
}

describe("identify result", () => {
  it("warns about a deadly candidate at 10% behind an edible one at 85%", () => {
    const labels = ["Agaricus arvensis", "Amanita virosa", "Boletus edulis"];
    const r = buildResult({
      labels,
      perPhoto: [dist(labels, { "Agaricus arvensis": 0.85, "Amanita virosa": 0.1 })],
      facts: [facts("Agaricus arvensis", "CHOICE"), facts("Amanita virosa", "DEADLY")],
      abstainThreshold: 0.5,
    });
    expect(r.verdict.status).toBe("identified");
    expect(r.verdict.warnings.some((w) => w.kind === "danger" && w.scientificName === "Amanita virosa")).toBe(true);
    expect(JSON.stringify(r.verdict)).not.toMatch(/safe to eat/i);
    expect(r.verdict.caution.length).toBeGreaterThan(20);
    expect(r.factsFrom).toBe("catalog");
  });

  it("treats a label the taxonomy and catalog do not know as unknown edibility, never edible", () => {
    const r = buildResult({ labels: ["bolete", "other"], perPhoto: [Float32Array.of(0.95, 0.05)], facts: [{ label: "bolete", species: null }], abstainThreshold: 0.5 });
    expect(r.candidates[0].facts).toBeNull();
    expect(r.verdict.leading?.edibility).toBe("UNKNOWN");
    expect(r.verdict.verdict.kind).toBe("edibility-unknown");
  });

  it("says not sure below the model's abstain threshold", () => {
    const r = buildResult({ labels: ["Agaricus arvensis", "Boletus edulis"], perPhoto: [Float32Array.of(0.4, 0.6)], facts: [], abstainThreshold: 0.7 });
    expect(r.verdict.status).not.toBe("identified");
  });

  it("warns about a deadly lookalike of the leading candidate even at 0%", () => {
    const r = buildResult({
      labels: ["Agaricus arvensis", "Boletus edulis"],
      perPhoto: [Float32Array.of(0.97, 0.03)],
      facts: [facts("Agaricus arvensis", "CHOICE", [{ scientificName: "Amanita virosa", slug: "amanita-virosa", edibility: "DEADLY", note: "white" }])],
      abstainThreshold: 0.5,
    });
    expect(r.verdict.warnings.some((w) => w.kind === "dangerous-lookalike" && w.scientificName === "Amanita virosa")).toBe(true);
  });

  // Review finding 1: a synonym label must reach its accepted taxon's edibility on the production path.
  it("resolves a synonym label (Galerina autumnalis) to Galerina marginata: deadly, warned", () => {
    const labels = ["Galerina autumnalis", "Armillaria mellea"];
    for (const f of [[], null]) {
      const r = buildResult({ labels, perPhoto: [Float32Array.of(0.9, 0.1)], facts: f, abstainThreshold: 0.5 });
      expect(r.verdict.leading?.scientificName).toBe("Galerina marginata");
      expect(r.verdict.verdict.kind).toBe("deadly");
      expect(r.verdict.warnings.some((w) => w.kind === "danger" && w.scientificName === "Galerina marginata")).toBe(true);
    }
  });

  // Review finding 2: warnings are computed over the whole distribution, not the displayed top 5.
  it("warns about a deadly 6th candidate at 5% although only five are shown", () => {
    const labels = ["Boletus edulis", "Cantharellus cibarius", "Agaricus campestris", "Macrolepiota procera", "Laetiporus sulphureus", "Amanita phalloides"];
    const r = buildResult({ labels, perPhoto: [Float32Array.of(0.4, 0.2, 0.12, 0.1, 0.08, 0.05)], facts: [], abstainThreshold: 0.3 });
    expect(r.candidates).toHaveLength(5);
    expect(r.candidates.map((c) => c.label)).not.toContain("Amanita phalloides");
    expect(r.verdict.warnings.some((w) => w.kind === "danger" && w.scientificName === "Amanita phalloides")).toBe(true);
    expect(labelsNeedingFacts(labels, [Float32Array.of(0.4, 0.2, 0.12, 0.1, 0.08, 0.05)])).toContain("Amanita phalloides");
  });

  // Review finding 5: one confident photo must not pool a deadly candidate of another photo below the threshold.
  it("keeps the danger warning when another photo is confident the other way", () => {
    const labels = ["Agaricus arvensis", "Amanita virosa"];
    const r = buildResult({ labels, perPhoto: [Float32Array.of(0.4, 0.6), Float32Array.of(0.9999, 0.0001)], facts: [], abstainThreshold: 0.5 });
    const pooled = r.candidates.find((c) => c.label === "Amanita virosa")!.probability;
    expect(pooled).toBeLessThan(0.02);
    const w = r.verdict.warnings.find((x) => x.kind === "danger" && x.scientificName === "Amanita virosa");
    expect(w?.probability).toBeCloseTo(0.6, 5);
    expect(w?.message).toMatch(/one photo gives it 60%/);
  });

  // Review finding 6: without the catalog, the bundled tables still warn, and the result says so.
  it("falls back to the bundled tables when the catalog was not reached", () => {
    const labels = ["Agaricus arvensis", "Amanita virosa"];
    const r = buildResult({ labels, perPhoto: [Float32Array.of(0.9, 0.1)], facts: null, abstainThreshold: 0.5 });
    expect(r.factsFrom).toBe("bundled");
    expect(r.verdict.warnings.some((w) => w.kind === "danger" && w.scientificName === "Amanita virosa")).toBe(true);
    expect(r.candidates[1].facts?.edibility).toBe("DEADLY");
  });

  it("never lets the catalog lower the bundled table's class (the more dangerous wins)", () => {
    const r = buildResult({
      labels: ["Amanita virosa", "Boletus edulis"],
      perPhoto: [Float32Array.of(0.95, 0.05)],
      facts: [facts("Amanita virosa", "EDIBLE")],
      abstainThreshold: 0.5,
    });
    expect(r.verdict.leading?.edibility).toBe("DEADLY");
    expect(r.candidates[0].facts?.edibility).toBe("DEADLY");
  });
});
