// Starts the production server (built beforehand by `next build`) on a fresh, seeded SQLite catalog.
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { applyMigrations } from "../../../lib/catalog/schema-engine";
import { createCatalog } from "../../../lib/catalog/client";
import { seedCatalog } from "../../../lib/catalog/seed/seed";
import { importPhotoFolders } from "../../../lib/catalog/import/photo-folders";
import { settings } from "../../../lib/settings";
import { ROOT, startServer } from "./server";

export default async function setup(project: TestProject) {
  if (!existsSync(path.join(ROOT, ".next", "BUILD_ID"))) throw new Error("No production build: run `npm run build` first");
  const dir = await mkdtemp(path.join(os.tmpdir(), "e2e-"));
  const databaseUrl = `file:${path.join(dir, "catalog.db")}`;
  await applyMigrations(databaseUrl);
  const db = createCatalog(databaseUrl);
  const photoStore = path.join(dir, "photos");
  await seedCatalog(db, settings().dataDir, () => {});
  // The real photo folders, as `npm run db:seed` imports them (species pages show them with their credits).
  await importPhotoFolders(db, settings().dataDir, photoStore);
  await db.$disconnect();

  // A generous upload budget: the tests send many requests from one address (the limiter has its own test).
  const env = { DATABASE_URL: databaseUrl, PHOTO_STORE: photoStore, UPLOAD_RATE_PER_MINUTE: "1000" };
  const server = await startServer(env);
  project.provide("baseUrl", server.baseUrl);
  project.provide("databaseUrl", databaseUrl);
  project.provide("photoStore", photoStore);

  return async () => {
    await server.stop();
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
