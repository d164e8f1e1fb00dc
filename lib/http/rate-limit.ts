// Per-client request budgets for the upload endpoints (in memory: one server process).
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { CLIENT_ADDRESS_HEADER, CLIENT_TOKEN_HEADER, clientToken } from "./client-address";

export type Limiter = { consume(key: string): Promise<{ ok: true } | { ok: false; retryAfterSeconds: number }> };

export function createLimiter(points: number, durationSeconds: number): Limiter {
  const rl = new RateLimiterMemory({ points, duration: durationSeconds });
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
  };
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
