// Per-client request budgets for the upload endpoints (in memory: one server process).
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";

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

/** The client's address as the nearest proxy reports it; "local" when there is none. */
export function clientKey(req: Request): string {
  return req.headers.get("x-forwarded-for")?.split(",")[0].trim() || req.headers.get("x-real-ip") || "local";
}
