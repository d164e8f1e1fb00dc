import { describe, expect, it } from "vitest";
import { buildResult } from "../../lib/identify/result";
import type { CandidateFacts } from "../../lib/identify/species-facts";

const facts = (label: string, edibility: NonNullable<CandidateFacts["species"]>["edibility"], lookalikes: NonNullable<CandidateFacts["species"]>["lookalikes"] = []): CandidateFacts => ({
  label,
  species: { slug: label.toLowerCase().replace(" ", "-"), scientificName: label, commonName: null, edibility, edibilitySource: "Test source", edibilityNote: null, photos: [], lookalikes },
});

describe("identify result", () => {
  it("warns about a deadly candidate at 10% behind an edible one at 85%", () => {
    const r = buildResult(
      [
        { index: 0, label: "Agaricus arvensis", probability: 0.85 },
        { index: 1, label: "Amanita virosa", probability: 0.1 },
      ],
      [facts("Agaricus arvensis", "CHOICE"), facts("Amanita virosa", "DEADLY")],
      0.5,
    );
    expect(r.verdict.status).toBe("identified");
    expect(r.verdict.warnings.some((w) => w.kind === "danger" && w.scientificName === "Amanita virosa")).toBe(true);
    expect(JSON.stringify(r.verdict)).not.toMatch(/safe to eat/i);
    expect(r.verdict.caution.length).toBeGreaterThan(20);
  });
  it("treats a label the catalog does not know as unknown edibility, never edible", () => {
    const r = buildResult([{ index: 3, label: "bolete", probability: 0.95 }], [{ label: "bolete", species: null }], 0.5);
    expect(r.candidates[0].facts).toBeNull();
    expect(r.verdict.leading?.edibility).toBe("UNKNOWN");
    expect(r.verdict.verdict.kind).toBe("edibility-unknown");
  });
  it("says not sure below the model's abstain threshold", () => {
    const r = buildResult([{ index: 0, label: "Agaricus arvensis", probability: 0.4 }], [facts("Agaricus arvensis", "CHOICE")], 0.5);
    expect(r.verdict.status).toBe("not-sure");
    expect(r.verdict.leading).toBeNull();
  });
  it("warns about a deadly lookalike of the leading candidate even at 0%", () => {
    const r = buildResult(
      [{ index: 0, label: "Agaricus arvensis", probability: 0.97 }],
      [facts("Agaricus arvensis", "CHOICE", [{ scientificName: "Amanita virosa", slug: "amanita-virosa", edibility: "DEADLY", note: "white" }])],
      0.5,
    );
    expect(r.verdict.warnings.some((w) => w.kind === "dangerous-lookalike" && w.scientificName === "Amanita virosa")).toBe(true);
  });
});
