// Which database a URL names, and the Prisma driver adapter for it.
import { mkdirSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PrismaLibSql } from "@prisma/adapter-libsql";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";

export type Provider = "sqlite" | "postgresql";

export function providerOf(databaseUrl: string): Provider {
  if (databaseUrl.startsWith("file:")) return "sqlite";
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return "postgresql";
  throw new Error(`Unsupported DATABASE_URL scheme: ${databaseUrl.split(":")[0]}: (use file: or postgresql://)`);
}

/** SQLite file path of a file: URL (undefined for in-memory databases). */
export function sqliteFile(databaseUrl: string): string | undefined {
  const p = databaseUrl.replace(/^file:(\/\/)?/, "").split("?")[0];
  return p === "" || p.startsWith(":memory:") ? undefined : path.resolve(p);
}

export function adapterFactoryFor(databaseUrl: string): SqlMigrationAwareDriverAdapterFactory {
  const file = providerOf(databaseUrl) === "sqlite" ? sqliteFile(databaseUrl) : undefined;
  // SQLite cannot create missing folders; a missing one would surface as an opaque "error 14".
  if (file) mkdirSync(path.dirname(file), { recursive: true });
  if (providerOf(databaseUrl) === "postgresql") return new PrismaPg({ connectionString: databaseUrl });
  const factory = new PrismaLibSql({ url: databaseUrl });
  // libsql's own shadow database is ":memory:", which loses its tables between connections
  // and breaks migration diffs; a fresh temporary file behaves like a real database.
  let shadowUrl: string | undefined;
  factory.connectToShadowDb = () => {
    shadowUrl ??= `file:${path.join(mkdtempSync(path.join(os.tmpdir(), "shadow-")), "shadow.db")}`;
    return new PrismaLibSql({ url: shadowUrl }).connect();
  };
  return factory;
}
