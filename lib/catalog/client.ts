// One Prisma client per process for the configured database.
import { PrismaClient as SqliteClient } from "./generated/sqlite/client";
import { PrismaClient as PostgresClient } from "./generated/postgresql/client";
import { adapterFactoryFor, providerOf } from "./adapter";
import { settings } from "../settings";

// Both clients are generated from the same models (prisma/postgresql is derived from prisma/schema.prisma),
// so the SQLite client's type describes either.
export type Catalog = SqliteClient;

export function createCatalog(databaseUrl: string = settings().databaseUrl): Catalog {
  const adapter = adapterFactoryFor(databaseUrl);
  if (providerOf(databaseUrl) === "sqlite") return new SqliteClient({ adapter });
  return new PostgresClient({ adapter }) as unknown as Catalog;
}

const globalForCatalog = globalThis as unknown as { catalog?: Catalog };

/** The shared client (kept on globalThis so Next's dev reloads do not open new pools). */
export function catalog(): Catalog {
  globalForCatalog.catalog ??= createCatalog();
  return globalForCatalog.catalog;
}
