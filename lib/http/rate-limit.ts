// Per-client request budgets. On the server they live in the catalog database (rate-limiter-flexible's
// RateLimiterPrisma over the RateLimit table), so every process on one database shares them; the same code path
// serves SQLite and PostgreSQL. A limiter without a database (unit tests) counts in memory.
import { RateLimiterMemory, RateLimiterPrisma, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { Catalog } from "../catalog/client";
import { CLIENT_ADDRESS_HEADER, CLIENT_TOKEN_HEADER, clientToken } from "./client-address";

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };
export type Limiter = { consume(key: string): Promise<RateDecision>; reset(key: string): Promise<void> };

export type LimiterStore = {
  db: Catalog;
  /** Names the budget in the shared table ("upload", "signin-account", ...): keys are "<name>:<key>". */
  name: string;
};

/**
 * `points` requests per `durationSeconds` per key. With a store, the count is kept in the database; should the
 * database fail, each process falls back to its own in-memory count (rate-limiter-flexible's insurance limiter)
 * rather than refusing every request or letting every request through.
 */
export function createLimiter(points: number, durationSeconds: number, store?: LimiterStore): Limiter {
  const opts = { points, duration: durationSeconds, keyPrefix: store?.name ?? "memory" };
  const memory = store ? new FallbackMemory(opts, store.name) : new RateLimiterMemory(opts);
  const rl: RateLimiterAbstract = store
    ? new RateLimiterPrisma({
        storeClient: store.db,
        // The Prisma client's property for the RateLimit model (prisma/schema.prisma).
        tableName: "rateLimit",
        keyPrefix: store.name,
        points,
        duration: durationSeconds,
        insuranceLimiter: memory,
      })
    : memory;
  return {
    async consume(key) {
      try {
        await rl.consume(key);
        return { ok: true };
      } catch (e) {
        if (e instanceof RateLimiterRes) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(e.msBeforeNext / 1000)) };
        throw e;
      }
    },
    async reset(key) {
      await rl.delete(key);
    },
  };
}

/** The insurance count: used only while the database store fails, which it says once per failure spell. */
class FallbackMemory extends RateLimiterMemory {
  private warnedAt = 0;
  constructor(
    opts: ConstructorParameters<typeof RateLimiterMemory>[0],
    private readonly name: string,
  ) {
    super(opts);
  }
  override consume(...args: Parameters<RateLimiterMemory["consume"]>) {
    if (Date.now() - this.warnedAt > 60_000) {
      this.warnedAt = Date.now();
      console.warn(`rate limit "${this.name}": the database store failed; counting in this process's memory for now`);
    }
    return super.consume(...args);
  }
}

/**
 * The rate-limit key for a request: the address our server (server.ts) derived from the TCP peer and the trusted
 * proxies, checked by its per-process token. Client-controlled headers (X-Forwarded-For, X-Real-IP) are never
 * read here. Without our server's header (e.g. plain `next start`) every request shares one budget.
 */
export function clientKey(req: Request): string {
  const token = req.headers.get(CLIENT_TOKEN_HEADER);
  const addr = req.headers.get(CLIENT_ADDRESS_HEADER);
  return token && addr && token === clientToken() ? addr : "unidentified";
}
