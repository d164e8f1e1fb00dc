// The database rate-limit store: two Prisma clients (as two server processes would hold) share one budget, with
// concurrent requests counted exactly, on SQLite and PostgreSQL. Needs the PostgreSQL test database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCatalog, type Catalog } from "../../lib/catalog/client";
import { createLimiter } from "../../lib/http/rate-limit";
import { settings } from "../../lib/settings";
import { freshPostgresCatalog, tempSqliteCatalog, type TempCatalog } from "../support/temp-db";

for (const [name, open] of [
  ["SQLite", tempSqliteCatalog],
  ["PostgreSQL", () => freshPostgresCatalog(settings().postgresTestUrl)],
] as const) {
  describe(`rate limits stored in ${name}`, () => {
    let t: TempCatalog;
    let other: Catalog;
    beforeAll(async () => {
      t = await open();
      other = createCatalog(t.url);
    });
    afterAll(async () => {
      await other?.$disconnect();
      await t?.cleanup();
    });

    it("two clients share one budget, and concurrent requests are each counted", async () => {
      const a = createLimiter(10, 60, { db: t.db, name: "shared" });
      const b = createLimiter(10, 60, { db: other, name: "shared" });
      const results = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).consume("203.0.113.9")));
      expect(results.filter((r) => r.ok)).toHaveLength(10);
      const refused = results.find((r) => !r.ok);
      expect(refused && !refused.ok && refused.retryAfterSeconds).toBeGreaterThan(0);
      // Another key, and the same key under another limiter's name, have budgets of their own.
      expect((await a.consume("198.51.100.1")).ok).toBe(true);
      expect((await createLimiter(1, 60, { db: t.db, name: "other" }).consume("203.0.113.9")).ok).toBe(true);
      const row = await t.db.rateLimit.findUnique({ where: { key: "shared:203.0.113.9" } });
      expect(row?.points).toBe(30);
    });

    it("starts a new window once the old one has expired", async () => {
      const l = createLimiter(2, 1, { db: t.db, name: "window" });
      expect((await l.consume("k")).ok).toBe(true);
      expect((await l.consume("k")).ok).toBe(true);
      expect((await l.consume("k")).ok).toBe(false);
      await new Promise((r) => setTimeout(r, 1100));
      expect((await l.consume("k")).ok).toBe(true);
    });

    it("reset clears one key", async () => {
      const l = createLimiter(1, 60, { db: t.db, name: "reset" });
      expect((await l.consume("k")).ok).toBe(true);
      expect((await l.consume("k")).ok).toBe(false);
      await l.reset("k");
      expect((await l.consume("k")).ok).toBe(true);
    });
  });
}

describe("rate limits when the database store fails", () => {
  it("each process falls back to counting in its own memory instead of failing requests", async () => {
    // A real client for a database nobody listens on: every query fails to connect.
    const down = createCatalog("postgresql://postgres:postgres@127.0.0.1:1/nowhere");
    try {
      const l = createLimiter(2, 60, { db: down, name: "down" });
      expect((await l.consume("k")).ok).toBe(true);
      expect((await l.consume("k")).ok).toBe(true);
      expect((await l.consume("k")).ok).toBe(false);
    } finally {
      await down.$disconnect();
    }
  });
});
