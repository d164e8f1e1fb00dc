// Fresh, migrated catalogs for tests: a temporary SQLite file, or the wiped PostgreSQL test database.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Client } from "pg";
import { applyMigrations } from "../../lib/catalog/schema-engine";
import { createCatalog, type Catalog } from "../../lib/catalog/client";

export type TempCatalog = { url: string; db: Catalog; cleanup: () => Promise<void> };

export async function tempSqliteCatalog(): Promise<TempCatalog> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "catalog-"));
  const url = `file:${path.join(dir, "test.db")}`;
  await applyMigrations(url);
  const db = createCatalog(url);
  return {
    url,
    db,
    cleanup: async () => {
      await db.$disconnect();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Drops and recreates the public schema of the PostgreSQL test database, then migrates it. */
export async function freshPostgresCatalog(url: string): Promise<TempCatalog> {
  const admin = new Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;");
  } finally {
    await admin.end();
  }
  await applyMigrations(url);
  const db = createCatalog(url);
  return { url, db, cleanup: () => db.$disconnect() };
}
