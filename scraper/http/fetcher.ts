// Polite HTTP: robots.txt (with Crawl-delay), a per-host delay and concurrency cap, an honest User-Agent,
// timeouts, and retries with exponential backoff that honour Retry-After. Errors come out typed (../errors).
import robotsParser from "robots-parser";
import { CriticalError, NonRetryableError, RetryLaterError, ScrapeError } from "../errors";
import { HostGate, sleep } from "./host-gate";

export type FetchPolicy = {
  userAgent: string;
  /** Minimum ms between request starts on one host (robots.txt Crawl-delay raises it). */
  delayMs: number;
  concurrencyPerHost: number;
  timeoutMs: number;
  /** Retries after the first attempt for retry-later errors. */
  retries: number;
  retryBaseMs: number;
  /** A Retry-After longer than this makes the task wait for a later run instead. */
  maxRetryAfterMs: number;
  obeyRobots: boolean;
};

export const POLITE_DEFAULTS: Omit<FetchPolicy, "userAgent"> = {
  delayMs: 1000,
  concurrencyPerHost: 2,
  timeoutMs: 20_000,
  retries: 3,
  retryBaseMs: 1000,
  maxRetryAfterMs: 120_000,
  obeyRobots: true,
};

export function userAgentFor(contactUrl: string, version = "0.1"): string {
  return `mushroom-id-scraper/${version} (+${contactUrl})`;
}

export type FetchedResponse = { url: string; status: number; contentType: string; body: Buffer };

type Robots = ReturnType<typeof robotsParser>;

export class PoliteFetcher {
  private gates = new Map<string, HostGate>();
  private robots = new Map<string, Promise<Robots | undefined>>();
  /** Requests actually sent (retries included), for the run summary. */
  requests = 0;

  constructor(readonly policy: FetchPolicy) {}

  /** The delay in force for a host (policy delay or robots.txt Crawl-delay, whichever is longer). */
  async delayFor(url: string): Promise<number> {
    await this.robotsFor(new URL(url));
    return this.gate(new URL(url).host).delayMs;
  }

  /** GET `url`; resolves only for 2xx, throws a typed ScrapeError otherwise. */
  async get(url: string, opts: { maxBytes?: number } = {}): Promise<FetchedResponse> {
    const u = new URL(url);
    if (this.policy.obeyRobots) {
      const robots = await this.robotsFor(u);
      if (robots && robots.isAllowed(url, this.policy.userAgent) === false) {
        throw new NonRetryableError(`robots.txt disallows ${url}`, "robots");
      }
    }
    return this.withRetries(url, () => this.once(url, opts.maxBytes));
  }

  private gate(host: string): HostGate {
    let g = this.gates.get(host);
    if (!g) this.gates.set(host, (g = new HostGate(this.policy.concurrencyPerHost, this.policy.delayMs)));
    return g;
  }

  private robotsFor(u: URL): Promise<Robots | undefined> {
    let p = this.robots.get(u.origin);
    if (!p) {
      p = this.loadRobots(u);
      this.robots.set(u.origin, p);
    }
    return p;
  }

  /** 4xx: no rules (allowed). 5xx or unreachable after retries: critical (RFC 9309 says assume disallowed). */
  private async loadRobots(u: URL): Promise<Robots | undefined> {
    const robotsUrl = `${u.origin}/robots.txt`;
    let text: string;
    try {
      text = (await this.withRetries(robotsUrl, () => this.once(robotsUrl, 512 * 1024))).body.toString("utf8");
    } catch (e) {
      if (e instanceof NonRetryableError) return undefined;
      throw new CriticalError(`robots.txt unreachable at ${robotsUrl}: ${(e as Error).message}`, "robots-unreachable");
    }
    const robots = robotsParser(robotsUrl, text);
    const crawlDelay = robots.getCrawlDelay(this.policy.userAgent);
    if (crawlDelay !== undefined) {
      const g = this.gate(u.host);
      g.delayMs = Math.max(g.delayMs, crawlDelay * 1000);
    }
    return robots;
  }

  private async withRetries(url: string, attempt: () => Promise<FetchedResponse>): Promise<FetchedResponse> {
    for (let i = 0; ; i++) {
      try {
        return await attempt();
      } catch (e) {
        if (!(e instanceof RetryLaterError) || i >= this.policy.retries) throw e;
        const backoff = this.policy.retryBaseMs * 2 ** i * (0.75 + Math.random() * 0.5);
        if (e.retryAfterMs !== undefined) {
          if (e.retryAfterMs > this.policy.maxRetryAfterMs) throw e;
          this.gate(new URL(url).host).pauseFor(e.retryAfterMs);
        }
        await sleep(Math.max(backoff, e.retryAfterMs ?? 0));
      }
    }
  }

  private async once(url: string, maxBytes = Infinity): Promise<FetchedResponse> {
    const release = await this.gate(new URL(url).host).acquire();
    this.requests++;
    try {
      let res: Response;
      const signal = AbortSignal.timeout(this.policy.timeoutMs);
      try {
        res = await fetch(url, {
          headers: { "user-agent": this.policy.userAgent, accept: "text/html,image/*;q=0.9,*/*;q=0.5" },
          redirect: "follow",
          signal,
        });
      } catch (e) {
        throw networkError(url, e);
      }
      if (!res.ok) {
        await res.body?.cancel().catch(() => {});
        throw statusError(url, res);
      }
      const declared = Number(res.headers.get("content-length") ?? NaN);
      if (declared > maxBytes) {
        await res.body?.cancel().catch(() => {});
        throw new NonRetryableError(`${url}: ${declared} bytes exceeds the limit of ${maxBytes}`, "too-many-bytes");
      }
      let body: Buffer;
      try {
        body = await readCapped(res, maxBytes, url);
      } catch (e) {
        if (e instanceof ScrapeError) throw e;
        throw networkError(url, e);
      }
      return { url: res.url || url, status: res.status, contentType: res.headers.get("content-type") ?? "", body };
    } finally {
      release();
    }
  }
}

async function readCapped(res: Response, maxBytes: number, url: string): Promise<Buffer> {
  if (!res.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.byteLength;
    if (total > maxBytes) throw new NonRetryableError(`${url}: body exceeds the limit of ${maxBytes} bytes`, "too-many-bytes");
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

function statusError(url: string, res: Response): ScrapeError {
  const s = res.status;
  if (s === 429 || s === 503 || s >= 500 || s === 408) {
    return new RetryLaterError(`${url}: HTTP ${s}`, `http-${s}`, parseRetryAfter(res.headers.get("retry-after")));
  }
  return new NonRetryableError(`${url}: HTTP ${s}`, `http-${s}`);
}

function networkError(url: string, e: unknown): RetryLaterError {
  const err = e as { name?: string; message?: string; cause?: { code?: string } };
  if (err.name === "TimeoutError" || err.name === "AbortError") return new RetryLaterError(`${url}: timed out`, "timeout");
  return new RetryLaterError(`${url}: ${err.cause?.code ?? err.message ?? "network error"}`, "network");
}

/** Retry-After is seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}
