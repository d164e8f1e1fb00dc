// Prisma's schema engine compiled to WebAssembly, driven through our driver adapters. The native
// schema-engine binary cannot be downloaded on every machine; this path needs nothing but npm.
import { readFile, readdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import * as bg from "@prisma/schema-engine-wasm/schema_engine_bg";
import type { SchemaEngine, MigrationList } from "@prisma/schema-engine-wasm";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import { adapterFactoryFor, providerOf, type Provider } from "./adapter";
export type { Provider };

let loaded: Promise<void> | undefined;

function loadWasm(): Promise<void> {
  loaded ??= (async () => {
    const entry = createRequire(import.meta.url).resolve("@prisma/schema-engine-wasm");
    const bytes = await readFile(path.join(path.dirname(entry), "schema_engine_bg.wasm"));
    const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": bg });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
  })();
  return loaded;
}

export const PRISMA_DIR = path.resolve(import.meta.dirname, "../../prisma");

/** Schema file and migrations folder of a provider: SQLite in prisma/, PostgreSQL in prisma/postgresql/. */
export function schemaPaths(provider: Provider): { schema: string; migrations: string } {
  const dir = provider === "sqlite" ? PRISMA_DIR : path.join(PRISMA_DIR, "postgresql");
  return { schema: path.join(dir, "schema.prisma"), migrations: path.join(dir, "migrations") };
}

export async function listMigrations(migrationsDir: string): Promise<MigrationList> {
  const entries = await readdir(migrationsDir, { withFileTypes: true }).catch(() => []);
  const dirs = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const lockPath = path.join(migrationsDir, "migration_lock.toml");
  return {
    baseDir: migrationsDir,
    lockfile: { path: "migration_lock.toml", content: await readFile(lockPath, "utf8").catch(() => null) },
    shadowDbInitScript: "",
    migrationDirectories: await Promise.all(
      dirs.map(async (d) => {
        const content = await readFile(path.join(migrationsDir, d, "migration.sql"), "utf8").then(
          (c) => ({ tag: "ok" as const, value: c }),
          (e: Error) => ({ tag: "error" as const, value: e.message }),
        );
        return { path: d, migrationFile: { path: "migration.sql", content } };
      }),
    ),
  };
}

/** Open the schema engine against a database URL; the caller must call free(). */
export async function openEngine(databaseUrl: string, log: (line: string) => void = () => {}) {
  await loadWasm();
  const provider = providerOf(databaseUrl);
  const { schema } = schemaPaths(provider);
  const datamodel = await readFile(schema, "utf8");
  const factory = bindMigrationAwareSqlAdapterFactory(adapterFactoryFor(databaseUrl));
  const engine: SchemaEngine = await bg.SchemaEngine.new(
    { datamodels: [[schema, datamodel]] },
    (line: string) => log(line),
    factory,
  );
  return { engine, provider, schema, datamodel, explain: (e: unknown) => explainError(e, factory.errorRegistry) };
}

// The engine reports adapter failures as "External error id#N"; the real error waits in the registry.
function explainError(e: unknown, registry: { consumeError(id: number): { error: unknown } | undefined }): Error {
  const msg = e instanceof Error ? e.message : String(e);
  const id = /External error id#(\d+)/.exec(msg)?.[1];
  const inner = id === undefined ? undefined : registry.consumeError(Number(id))?.error;
  if (inner === undefined) return e instanceof Error ? e : new Error(msg);
  const detail = inner instanceof Error ? inner.message : JSON.stringify(inner);
  return new Error(`Schema engine: ${detail}`);
}

const noFilters = { externalTables: [], externalEnums: [] };

/** Apply every committed migration not yet in the database; returns the names applied. */
export async function applyMigrations(databaseUrl: string): Promise<string[]> {
  const { engine, provider, explain } = await openEngine(databaseUrl);
  try {
    const migrationsList = await listMigrations(schemaPaths(provider).migrations);
    if (migrationsList.migrationDirectories.length === 0) throw new Error(`No migrations for ${provider}`);
    const out = await engine.applyMigrations({ migrationsList, filters: noFilters }).catch((e) => {
      throw explain(e);
    });
    return out.appliedMigrationNames;
  } finally {
    engine.free();
  }
}

/** Each migration folder keeps the schema.prisma it was made from, so diffs need no database. */
export const SNAPSHOT = "schema.prisma";

/**
 * SQL that takes the schema of the newest migration to the current schema.prisma ("" when in sync).
 * Both sides are schema files, so this runs offline for either provider.
 */
export async function pendingSchemaDiff(provider: Provider, postgresUrl?: string): Promise<string> {
  // The SQLite engine never connects for a file-to-file diff; the PostgreSQL one insists on a live server.
  if (provider === "postgresql" && !postgresUrl) throw new Error("A PostgreSQL URL is needed to diff its schema");
  const url = provider === "sqlite" ? "file::memory:" : postgresUrl!;
  const { engine, schema, datamodel, explain } = await openEngine(url);
  try {
    const { migrations } = schemaPaths(provider);
    const list = await listMigrations(migrations);
    const last = list.migrationDirectories.at(-1)?.path;
    const previous = last ? await readFile(path.join(migrations, last, SNAPSHOT), "utf8") : undefined;
    const res = await engine
      .diff({
        from: previous === undefined ? { tag: "empty" } : { tag: "schemaDatamodel", files: [{ path: schema, content: previous }] },
        to: { tag: "schemaDatamodel", files: [{ path: schema, content: datamodel }] },
        script: true,
        exitCode: true,
        filters: noFilters,
      })
      .catch((e) => {
        throw explain(e);
      });
    return res.exitCode === 2 ? (res.stdout ?? "") : "";
  } finally {
    engine.free();
  }
}
