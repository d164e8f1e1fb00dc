// SQLite in its default rollback-journal mode fsyncs every write (~10 ms here); a crawl writes a few rows per
// photo. WAL with synchronous=NORMAL stays safe against a killed process (only an OS crash can lose the last
// commits, which a resumed crawl redoes) and is several times faster. No-op on PostgreSQL.
import type { Catalog } from "../../lib/catalog/client";

export async function tuneSqlite(db: Catalog): Promise<void> {
  try {
    await db.$queryRawUnsafe("PRAGMA journal_mode=WAL");
    await db.$queryRawUnsafe("PRAGMA synchronous=NORMAL");
  } catch {
    // Not SQLite (PostgreSQL rejects PRAGMA): nothing to tune.
  }
}
