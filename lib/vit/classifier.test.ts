// The backend choice with fake backends (no GPU, no onnxruntime): what is measured, what is refused and why, what is
// remembered per device and model, and the ?backend= override. The real backends run in tests/vit/browser.test.ts.
import { describe, expect, it } from "vitest";
import type { AdapterSummary } from "../gpu/device.ts";
import { backboneMeta } from "../../models/export-vit.ts";
import type { Backend, BackendName } from "./backends.ts";
import { chooseBackend, type ChoiceDeps, type GpuProbe, type LoadOptions } from "./classifier.ts";
import type { ChoiceStore } from "./backend-cache.ts";

const meta = { ...backboneMeta(["a", "b"], "fake"), imageSize: 32 };
const hardware: AdapterSummary = { vendor: "acme", architecture: "rdna", device: "", description: "Acme GPU", isSoftware: false, features: [] };
const swiftshader: AdapterSummary = { vendor: "google", architecture: "swiftshader", device: "", description: "SwiftShader Device (Subzero)", isSoftware: true, features: [] };

type Fake = { ms: number; logits?: number[]; fails?: string };

function memoryStore(): ChoiceStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) };
}

function deps(fakes: Partial<Record<BackendName, Fake>>, probe: GpuProbe) {
  const started: BackendName[] = [];
  const disposed: BackendName[] = [];
  const d: ChoiceDeps = {
    probe: async () => probe,
    modelSha256: async () => "f".repeat(64),
    async start(b) {
      started.push(b);
      const f = fakes[b];
      if (!f || f.fails) throw new Error(f?.fails ?? `${b} is not available`);
      const backend: Backend = {
        backend: b,
        meta,
        adapter: null,
        classify: async () => ({ probs: new Float32Array(2), logits: Float32Array.from(f.logits ?? [1, 2]), features: new Float32Array(4), attention: null, rollout: null, ms: f.ms }),
        dispose: () => void disposed.push(b),
      };
      return backend;
    },
  };
  return { d, started, disposed };
}

const ok = (adapter: AdapterSummary): GpuProbe => ({ ok: true, adapter });
const noGpu: GpuProbe = { ok: false, reason: "navigator.gpu is missing (no WebGPU in this browser, or not a secure context)" };
const all = { "webgpu-engine": { ms: 4 }, "ort-webgpu": { ms: 12 }, "ort-wasm": { ms: 300 } } satisfies Record<BackendName, Fake>;

async function choose(fakes: Partial<Record<BackendName, Fake>>, probe: GpuProbe, opts: LoadOptions = {}) {
  const x = deps(fakes, probe);
  const c = await chooseBackend(x.d, { store: null, ...opts });
  return { c, ...x };
}

describe("backend choice by measurement", () => {
  it("on a hardware adapter times every backend (wasm first) and keeps the fastest, disposing the others", async () => {
    const { c, started, disposed } = await choose(all, ok(hardware));
    expect(c.backend).toBe("webgpu-engine");
    expect(c.choice.how).toBe("measured");
    expect(started).toEqual(["ort-wasm", "webgpu-engine", "ort-webgpu"]);
    expect(disposed.sort()).toEqual(["ort-wasm", "ort-webgpu"]);
    expect(c.choice.timings.map((t) => [t.backend, t.runMs])).toEqual([["ort-wasm", 300], ["webgpu-engine", 4], ["ort-webgpu", 12]]);
    expect(c.choice.reason).toMatch(/fastest when timed on this device: webgpu-engine 4\.0 ms, ort-webgpu 12 ms, ort-wasm 300 ms/);
    expect(c.choice.adapter).toEqual(hardware);
  });

  it("refuses a backend whose logits disagree with wasm, and one that fails to start, saying why", async () => {
    const { c } = await choose({ ...all, "webgpu-engine": { ms: 1, logits: [1, 2.5] }, "ort-webgpu": { ms: 2, fails: "Invalid argument" } }, ok(hardware));
    expect(c.backend).toBe("ort-wasm");
    expect(c.refused).toEqual([
      { backend: "webgpu-engine", reason: "disagrees with onnxruntime-web wasm: logits differ by up to 0.500 on the same input" },
      { backend: "ort-webgpu", reason: "Invalid argument" },
    ]);
  });

  it("on a software adapter does not time the GPU backends and runs wasm", async () => {
    const { c, started } = await choose(all, ok(swiftshader));
    expect(c.backend).toBe("ort-wasm");
    expect(c.choice.how).toBe("software-adapter");
    expect(started).toEqual(["ort-wasm"]);
    expect(c.refused.map((r) => r.backend)).toEqual(["webgpu-engine", "ort-webgpu"]);
    expect(c.refused[0]!.reason).toBe("not timed: the WebGPU adapter (google / swiftshader / SwiftShader Device (Subzero)) is a software adapter: WebGPU is emulated on the CPU");
    expect(c.choice.reason).toMatch(/software adapter: WebGPU is emulated on the CPU, so the GPU backends are not timed$/);
  });

  it("on a software adapter falls back to the GPU backends when wasm cannot start", async () => {
    const { c } = await choose({ ...all, "ort-wasm": { ms: 1, fails: "no wasm files" } }, ok(swiftshader));
    expect(c.backend).toBe("webgpu-engine");
    expect(c.choice.reason).toMatch(/onnxruntime-web wasm could not start/);
    expect(c.refused[0]).toEqual({ backend: "ort-wasm", reason: "no wasm files" });
  });

  it("without WebGPU runs wasm, refusing both GPU backends with the probe's reason", async () => {
    const { c } = await choose(all, noGpu);
    expect(c.backend).toBe("ort-wasm");
    expect(c.choice.how).toBe("only-one");
    expect(c.refused.map((r) => [r.backend, r.reason])).toEqual([
      ["webgpu-engine", noGpu.reason],
      ["ort-webgpu", noGpu.reason],
    ]);
  });

  it("remembers the measured choice per device and model and reuses it without timing", async () => {
    const store = memoryStore();
    await choose(all, ok(hardware), { store });
    expect([...store.data.keys()]).toEqual([`mushroom-id:backend:v1:${"f".repeat(64)}:acme / rdna / Acme GPU`]);
    const again = await choose(all, ok(hardware), { store });
    expect(again.c.backend).toBe("webgpu-engine");
    expect(again.c.choice.how).toBe("cached");
    expect(again.started).toEqual(["webgpu-engine"]);
    expect(again.c.choice.timings).toHaveLength(3);
    // Another device measures for itself.
    const other = await choose(all, ok({ ...hardware, description: "Other GPU" }), { store });
    expect(other.c.choice.how).toBe("measured");
    expect(store.data.size).toBe(2);
  });

  it("measures again when the remembered backend no longer starts, and ignores a damaged entry", async () => {
    const store = memoryStore();
    await choose(all, ok(hardware), { store });
    const broken = await choose({ ...all, "webgpu-engine": { ms: 4, fails: "device lost" } }, ok(hardware), { store });
    expect(broken.c.backend).toBe("ort-webgpu");
    expect(broken.c.refused[0]).toEqual({ backend: "webgpu-engine", reason: "chosen by an earlier measurement but could not start now: device lost" });
    const key = [...store.data.keys()][0]!;
    store.setItem(key, "{not json");
    expect((await choose(all, ok(hardware), { store })).c.choice.how).toBe("measured");
  });

  it("?backend= runs the named backend; if it cannot start, the choice goes on without it", async () => {
    const forced = await choose(all, ok(swiftshader), { force: "ort-webgpu" });
    expect(forced.c.backend).toBe("ort-webgpu");
    expect(forced.c.choice).toMatchObject({ how: "forced", reason: "ort-webgpu was requested with ?backend=ort-webgpu" });
    const failed = await choose({ ...all, "webgpu-engine": { ms: 1, fails: "no adapter" } }, ok(hardware), { force: "webgpu-engine" });
    expect(failed.c.backend).toBe("ort-webgpu");
    expect(failed.c.refused[0]).toEqual({ backend: "webgpu-engine", reason: "requested with ?backend=webgpu-engine but could not start: no adapter" });
    const unavailable = await choose(all, noGpu, { force: "webgpu-engine" });
    expect(unavailable.c.backend).toBe("ort-wasm");
  });
});
