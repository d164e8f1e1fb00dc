// Starts the production server (built beforehand by `next build`) on a fresh, seeded SQLite catalog.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { applyMigrations } from "../../../lib/catalog/schema-engine";
import { createCatalog } from "../../../lib/catalog/client";
import { seedCatalog } from "../../../lib/catalog/seed/seed";
import { settings } from "../../../lib/settings";

const ROOT = path.resolve(import.meta.dirname, "../../..");

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

async function waitForServer(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}:\n${log()}`);
    const ok = await fetch(url).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`next start did not answer at ${url} within 60 s:\n${log()}`);
}

export default async function setup(project: TestProject) {
  if (!existsSync(path.join(ROOT, ".next", "BUILD_ID"))) throw new Error("No production build: run `npm run build` first");
  const dir = await mkdtemp(path.join(os.tmpdir(), "e2e-"));
  const databaseUrl = `file:${path.join(dir, "catalog.db")}`;
  await applyMigrations(databaseUrl);
  const db = createCatalog(databaseUrl);
  await seedCatalog(db, settings().dataDir, () => {});
  await db.$disconnect();

  const port = await freePort();
  let output = "";
  const child = spawn(process.execPath, [path.join(ROOT, "node_modules/next/dist/bin/next"), "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: ROOT,
    // A generous upload budget: the tests send many requests from one address (the limiter has its own test).
    env: { ...process.env, DATABASE_URL: databaseUrl, PHOTO_STORE: path.join(dir, "photos"), NEXT_TELEMETRY_DISABLED: "1", UPLOAD_RATE_PER_MINUTE: "1000" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitForServer(baseUrl + "/species", child, () => output);
  project.provide("baseUrl", baseUrl);
  project.provide("databaseUrl", databaseUrl);
  project.provide("photoStore", path.join(dir, "photos"));

  return async () => {
    child.kill("SIGTERM");
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.once("exit", r)));
    await rm(dir, { recursive: true, force: true });
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    databaseUrl: string;
    photoStore: string;
  }
}
