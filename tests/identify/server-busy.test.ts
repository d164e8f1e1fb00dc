// Review finding 10: classifications are capped; beyond the queue the server refuses (503) instead of piling up
// decodes and inference in memory.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { settings } from "../../lib/settings";

describe("server classification gate", () => {
  afterAll(() => vi.unstubAllEnvs());
  it("runs CLASSIFY_CONCURRENCY at once, queues CLASSIFY_QUEUE more, refuses the rest", async () => {
    vi.stubEnv("CLASSIFY_CONCURRENCY", "1");
    vi.stubEnv("CLASSIFY_QUEUE", "1");
    vi.stubEnv("SHIPPED_MODEL", "vit-tiny-imagenet.onnx");
    const { settings: fresh } = await import("../../lib/settings");
    expect(fresh(process.env)).toMatchObject({ classifyConcurrency: 1, classifyQueue: 1 });
    const { classifyOnServer, ServerBusy } = await import("../../lib/identify/server-classifier");
    const photo = await readFile(path.join(settings().backboneDir, "imagenet-samples", "n03062245_1030.JPEG"));
    const results = await Promise.allSettled([classifyOnServer([photo]), classifyOnServer([photo]), classifyOnServer([photo])]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "rejected"]);
    expect((results[2] as PromiseRejectedResult).reason).toBeInstanceOf(ServerBusy);
  });
});
