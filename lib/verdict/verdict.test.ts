import { describe, expect, it } from "vitest";
import { EDIBILITY_VALUES, type Edibility } from "../edibility/types.ts";
import { annotateCandidates } from "./annotate.ts";
import { CAUTION_NOTICE } from "./text.ts";
import type { Candidate, Verdict } from "./types.ts";
import { DEFAULT_ABSTAIN_THRESHOLD, DEFAULT_WARNING_THRESHOLD, decideVerdict } from "./verdict.ts";

const c = (scientificName: string, probability: number, edibility: Edibility, extra: Partial<Candidate> = {}): Candidate => ({
  scientificName,
  probability,
  edibility,
  ...extra,
});

/** Every human-visible string of a verdict. */
const allText = (v: Verdict): string =>
  [v.verdict.headline, v.verdict.text, v.caution, ...v.reasons, ...v.warnings.map((w) => w.message)].join("\n");

function expectCaution(v: Verdict): void {
  expect(v.caution).toBe(CAUTION_NOTICE);
  expect(v.caution).toMatch(/never eat a wild mushroom on the strength of an app/i);
  expect(v.caution).toMatch(/expert|mycological society/i);
  expect(v.caution).toMatch(/poison control|emergency/i);
  expect(v.caution).toMatch(/keep a sample/i);
  expect(v.caution).toMatch(/time it was eaten/i);
  expect(v.caution).toMatch(/6 to 24 hours/);
}

describe("decideVerdict: table of cases", () => {
  it("warns about a deadly species at 10% behind an edible one at 85%", () => {
    const v = decideVerdict([c("Agaricus campestris", 0.85, "EDIBLE"), c("Amanita phalloides", 0.1, "DEADLY")]);
    expect(v.status).toBe("identified");
    expect(v.leading?.scientificName).toBe("Agaricus campestris");
    expect(v.verdict.kind).toBe("edible-per-source-with-caution");
    const danger = v.warnings.find((w) => w.kind === "danger");
    expect(danger?.scientificName).toBe("Amanita phalloides");
    expect(danger?.probability).toBe(0.1);
    expect(danger?.message).toMatch(/Amanita phalloides \(10%\)/);
    expect(danger?.message).toMatch(/deadly/i);
    expect(v.warnings[0].kind).toBe("danger");
    expect(v.reasons.some((r) => r.includes("Amanita phalloides"))).toBe(true);
    expect(v.verdict.text).toMatch(/dangerous species is also possible/);
    expectCaution(v);
  });

  it("treats UNKNOWN edibility as not edible, with no 'edible' wording", () => {
    const v = decideVerdict([c("Tricholoma focale", 0.9, "UNKNOWN"), c("Tricholoma aestuans", 0.05, "UNKNOWN")]);
    expect(v.status).toBe("identified");
    expect(v.verdict.kind).toBe("edibility-unknown");
    expect(allText(v)).not.toMatch(/\bedible\b/i);
    expect(v.verdict.text).toMatch(/do not eat/i);
  });

  it("is not sure below the abstain threshold and claims no species", () => {
    const v = decideVerdict([c("Boletus edulis", 0.45, "CHOICE"), c("Tylopilus felleus", 0.1, "INEDIBLE")]);
    expect(v.status).toBe("not-sure");
    expect(v.leading).toBeNull();
    expect(v.verdict.kind).toBe("not-sure");
    expect(allText(v)).not.toMatch(/\bedible\b/i);
    expect(v.reasons[0]).toMatch(/below/);
  });

  it("is not sure when the top two are too close", () => {
    const v = decideVerdict([c("Boletus edulis", 0.5, "CHOICE"), c("Boletus pinophilus", 0.45, "CHOICE")], {
      abstainThreshold: 0.4,
    });
    expect(v.status).toBe("not-sure");
    expect(v.reasons.join(" ")).toMatch(/within 15%/);
  });

  it("honours an abstain threshold chosen on validation data", () => {
    const cands = [c("Boletus edulis", 0.7, "CHOICE")];
    expect(decideVerdict(cands, { abstainThreshold: 0.8 }).status).toBe("not-sure");
    expect(decideVerdict(cands, { abstainThreshold: 0.6 }).status).toBe("identified");
  });

  it("keeps danger warnings even when not sure", () => {
    const v = decideVerdict([c("Agaricus arvensis", 0.4, "CHOICE"), c("Amanita virosa", 0.35, "DEADLY")]);
    expect(v.status).toBe("not-sure");
    expect(v.warnings.some((w) => w.kind === "danger" && w.scientificName === "Amanita virosa")).toBe(true);
  });

  it("ignores trivial probabilities below the warning threshold", () => {
    const v = decideVerdict([c("Boletus edulis", 0.95, "CHOICE"), c("Rubroboletus satanas", 0.01, "DEADLY")]);
    expect(v.warnings.filter((w) => w.kind === "danger")).toEqual([]);
  });

  it("warns at exactly the warning threshold", () => {
    const v = decideVerdict([c("Boletus edulis", 0.9, "CHOICE"), c("Rubroboletus satanas", DEFAULT_WARNING_THRESHOLD, "DEADLY")]);
    expect(v.warnings.some((w) => w.scientificName === "Rubroboletus satanas")).toBe(true);
  });

  it("warns about a deadly lookalike of an edible leader even at zero probability", () => {
    const v = decideVerdict([
      c("Kuehneromyces mutabilis", 0.97, "EDIBLE", {
        lookalikes: [{ scientificName: "Galerina marginata", edibility: "DEADLY", note: "Same habitat." }],
      }),
    ]);
    expect(v.status).toBe("identified");
    const w = v.warnings.find((x) => x.kind === "dangerous-lookalike");
    expect(w?.scientificName).toBe("Galerina marginata");
    expect(w?.probability).toBeNull();
    expect(w?.message).toMatch(/Kuehneromyces mutabilis has a known deadly lookalike, Galerina marginata/);
  });

  it("names the model's probability for a lookalike that is also a low candidate", () => {
    const v = decideVerdict([
      c("Cantharellus cibarius", 0.95, "CHOICE", {
        lookalikes: [{ scientificName: "Cortinarius rubellus", edibility: "DEADLY" }],
      }),
      c("Cortinarius rubellus", 0.01, "DEADLY"),
    ]);
    const w = v.warnings.find((x) => x.scientificName === "Cortinarius rubellus");
    expect(w?.kind).toBe("dangerous-lookalike");
    expect(w?.message).toMatch(/\(1%\)/);
  });

  it("warns about the deadly lookalike of a plausible candidate that is not the top one", () => {
    // A false morel photo the model does not know: not sure, true morels among the candidates.
    const morel = (name: string, p: number) =>
      c(name, p, "EDIBLE", { genus: "Morchella", lookalikes: [{ scientificName: "Gyromitra esculenta", edibility: "DEADLY", note: "False morel." }] });
    const v = decideVerdict([c("Hydnum repandum", 0.094, "CHOICE"), c("Verpa conica", 0.09, "EDIBLE"), morel("Morchella importuna", 0.062), morel("Morchella elata", 0.051)]);
    expect(v.status).toBe("not-sure");
    const w = v.warnings.filter((x) => x.kind === "dangerous-lookalike");
    expect(w.map((x) => x.scientificName)).toEqual(["Gyromitra esculenta"]);
    expect(w[0]!.message).toMatch(/Morchella importuna \(6%\) has a known deadly lookalike, Gyromitra esculenta, not among the model's candidates/);
    expect(v.warnings.some((x) => x.kind === "danger" || x.kind === "dangerous-lookalike")).toBe(true);
  });

  it("does not name the lookalikes of a candidate below the warning threshold", () => {
    const v = decideVerdict([
      c("Hydnum repandum", 0.6, "CHOICE"),
      c("Morchella elata", DEFAULT_WARNING_THRESHOLD / 2, "EDIBLE", { lookalikes: [{ scientificName: "Gyromitra esculenta", edibility: "DEADLY" }] }),
    ]);
    expect(v.warnings.filter((x) => x.kind === "dangerous-lookalike")).toEqual([]);
  });

  it("gives deadly and poisonous leaders their own verdicts", () => {
    expect(decideVerdict([c("Amanita phalloides", 0.99, "DEADLY")]).verdict.kind).toBe("deadly");
    expect(decideVerdict([c("Hypholoma fasciculare", 0.99, "POISONOUS")]).verdict.kind).toBe("poisonous");
    expect(decideVerdict([c("Psilocybe semilanceata", 0.99, "PSYCHOACTIVE")]).verdict.kind).toBe("psychoactive");
    expect(decideVerdict([c("Tylopilus felleus", 0.99, "INEDIBLE")]).verdict.kind).toBe("not-edible");
  });

  it("still tells the user to confirm with an expert when the source lists it as edible", () => {
    const v = decideVerdict([c("Boletus edulis", 0.99, "CHOICE", { edibilitySource: "Bessette et al." })]);
    expect(v.verdict.text).toMatch(/Bessette et al\./);
    expect(v.verdict.text).toMatch(/do not eat it on the strength of an app/i);
    expect(v.verdict.text).toMatch(/expert/i);
  });

  it("is not sure with no candidates", () => {
    const v = decideVerdict([]);
    expect(v.status).toBe("not-sure");
    expect(v.leading).toBeNull();
    expectCaution(v);
  });

  it("sorts unsorted input", () => {
    const v = decideVerdict([c("Amanita phalloides", 0.05, "DEADLY"), c("Agaricus campestris", 0.9, "EDIBLE")]);
    expect(v.leading?.scientificName).toBe("Agaricus campestris");
  });

  it("rejects malformed probabilities and thresholds", () => {
    expect(() => decideVerdict([c("A b", Number.NaN, "EDIBLE")])).toThrow(RangeError);
    expect(() => decideVerdict([c("A b", 1.2, "EDIBLE")])).toThrow(RangeError);
    expect(() => decideVerdict([c("A b", 0.7, "EDIBLE"), c("C d", 0.7, "EDIBLE")])).toThrow(RangeError);
    expect(() => decideVerdict([], { abstainThreshold: 2 })).toThrow(RangeError);
  });

  it("documents its thresholds in the output", () => {
    const v = decideVerdict([c("Boletus edulis", 0.9, "CHOICE")]);
    expect(v.thresholds.abstainThreshold).toBe(DEFAULT_ABSTAIN_THRESHOLD);
    expect(v.thresholds.warningThreshold).toBe(DEFAULT_WARNING_THRESHOLD);
  });
});

describe("decideVerdict with the knowledge table", () => {
  it("triggers the lookalike warning for an edible leader with a deadly lookalike in the table", () => {
    const v = decideVerdict(annotateCandidates([{ scientificName: "agaricus_campestris", probability: 0.96 }]));
    expect(v.status).toBe("identified");
    const lookalikes = v.warnings.filter((w) => w.kind === "dangerous-lookalike").map((w) => w.scientificName);
    expect(lookalikes).toContain("Amanita phalloides");
    expect(lookalikes).toContain("Amanita virosa");
  });

  it("annotates unknown species as UNKNOWN", () => {
    const [a] = annotateCandidates([{ scientificName: "Fungus imaginarius", probability: 0.9 }]);
    expect(a.edibility).toBe("UNKNOWN");
    expect(decideVerdict([a]).verdict.kind).toBe("edibility-unknown");
  });
});

/** Small deterministic PRNG so failures reproduce. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("decideVerdict: property-style checks over random candidate lists", () => {
  const rand = mulberry32(20261125);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];

  function randomCase(): { cands: Candidate[]; opts: { abstainThreshold: number; warningThreshold: number } } {
    const n = Math.floor(rand() * 6); // 0..5 candidates
    const weights = Array.from({ length: n }, () => rand() ** 2);
    const mass = rand(); // candidates need not sum to 1
    const total = weights.reduce((a, b) => a + b, 0) || 1;
    const cands = weights.map((w, i) =>
      c(`Genus species${i}`, (w / total) * mass, pick(EDIBILITY_VALUES), {
        lookalikes: rand() < 0.3 ? [{ scientificName: `Other look${i}`, edibility: pick(EDIBILITY_VALUES) }] : [],
      }),
    );
    return { cands, opts: { abstainThreshold: rand(), warningThreshold: rand() * 0.1 } };
  }

  it("never says 'safe to eat', always has the caution, and always warns about plausible danger", () => {
    for (let i = 0; i < 3000; i++) {
      const { cands, opts } = randomCase();
      const v = decideVerdict(cands, opts);
      expect(allText(v)).not.toMatch(/safe to eat/i);
      expect(v.caution).toBe(CAUTION_NOTICE);
      for (const cand of cands) {
        if (cand.probability >= opts.warningThreshold && (cand.edibility === "POISONOUS" || cand.edibility === "DEADLY")) {
          const w = v.warnings.find((x) => x.scientificName === cand.scientificName);
          expect(w, `missing warning for ${cand.scientificName}`).toBeDefined();
          expect(w?.kind).not.toBe("psychoactive");
          expect(w?.message).toContain(cand.scientificName);
        }
      }
      if (v.status === "not-sure") expect(v.leading).toBeNull();
      if (v.status === "identified") {
        expect(v.leading?.probability).toBeGreaterThanOrEqual(opts.abstainThreshold);
        if (v.leading?.edibility === "UNKNOWN") expect(v.verdict.text).not.toMatch(/\bedible\b/i);
      }
      // Every warning is explained in the reasons.
      for (const w of v.warnings) expect(v.reasons).toContain(w.message);
    }
  });
});

describe("decideVerdict: the genus level", () => {
  const amanita = { genus: "Amanita", worst: "DEADLY" as const, fact: "Includes the death cap and destroying angels." };
  const g = (name: string, p: number, e: Edibility, genus: string) => c(name, p, e, { genus });

  it("names the genus when the species is uncertain but the genus is clear", () => {
    const v = decideVerdict(
      [g("Amanita muscaria", 0.3, "POISONOUS", "Amanita"), g("Amanita rubescens", 0.28, "EDIBLE", "Amanita"), g("Amanita fulva", 0.27, "EDIBLE", "Amanita"), g("Boletus edulis", 0.15, "CHOICE", "Boletus")],
      { abstainThreshold: 0.6 },
      [amanita],
    );
    expect(v.status).toBe("genus");
    expect(v.leading).toMatchObject({ scientificName: "Amanita", rank: "genus", edibility: "DEADLY" });
    expect(v.verdict.kind).toBe("genus");
    expect(v.verdict.headline).toBe("Amanita sp.: this genus includes deadly species");
    expect(v.verdict.text).toMatch(/do not eat/i);
    expect(allText(v)).not.toMatch(/listed as edible/i);
    expect(v.warnings.some((w) => w.kind === "dangerous-genus" && w.scientificName === "Amanita")).toBe(true);
  });

  it("stays not sure when no genus is clear either", () => {
    const v = decideVerdict(
      [g("Amanita rubescens", 0.35, "EDIBLE", "Amanita"), g("Boletus edulis", 0.35, "CHOICE", "Boletus"), g("Russula vesca", 0.3, "EDIBLE", "Russula")],
      { abstainThreshold: 0.6 },
      [amanita],
    );
    expect(v.status).toBe("not-sure");
    expect(v.leading).toBeNull();
  });

  it("warns about a deadly genus whose members are each below the threshold but plausible together", () => {
    const members = Array.from({ length: 5 }, (_, i) => g(`Amanita sp${String.fromCharCode(97 + i)}`, 0.01, "UNKNOWN", "Amanita"));
    const v = decideVerdict([g("Boletus edulis", 0.95, "CHOICE", "Boletus"), ...members], { abstainThreshold: 0.6 }, [amanita]);
    expect(v.status).toBe("identified");
    const w = v.warnings.find((x) => x.kind === "dangerous-genus");
    expect(w?.scientificName).toBe("Amanita");
    expect(w?.message).toMatch(/5% in total/);
  });

  it("does not count an identified leader against its own genus, but still states the genus fact", () => {
    const v = decideVerdict([g("Amanita rubescens", 0.97, "EDIBLE", "Amanita"), g("Boletus edulis", 0.03, "CHOICE", "Boletus")], { abstainThreshold: 0.6 }, [amanita]);
    expect(v.status).toBe("identified");
    expect(v.warnings.some((w) => w.kind === "dangerous-genus")).toBe(false);
    const note = v.warnings.find((w) => w.kind === "genus-caution");
    expect(note?.message).toMatch(/Amanita rubescens belongs to Amanita, a genus that includes deadly species/);
  });

  it("uses the per-photo peak for danger: a deadly species one photo favours is warned about", () => {
    const v = decideVerdict([c("Agaricus arvensis", 0.988, "CHOICE"), c("Amanita virosa", 0.012, "DEADLY", { dangerProbability: 0.6 })], { abstainThreshold: 0.6 });
    expect(v.warnings.find((w) => w.kind === "danger")?.scientificName).toBe("Amanita virosa");
  });
});
