import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CriticalError, NonRetryableError, RetryLaterError } from "../errors";
import { parseRetryAfter, POLITE_DEFAULTS, PoliteFetcher, userAgentFor } from "./fetcher";

// A real server on 127.0.0.1; each path behaves as its name says. Counts hits and remembers User-Agents.
let server: http.Server;
let base = "";
const hits = new Map<string, number>();
const agents: string[] = [];
let robots = "User-agent: *\nDisallow: /private/\nCrawl-delay: 0.2\n";

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const n = (hits.get(req.url!) ?? 0) + 1;
    hits.set(req.url!, n);
    agents.push(String(req.headers["user-agent"]));
    const reply = (status: number, body = "ok", headers: Record<string, string> = {}) => res.writeHead(status, headers).end(body);
    if (req.url === "/robots.txt") return robots === "500" ? reply(500) : reply(200, robots);
    if (req.url === "/ok" || req.url === "/private-not/x") return reply(200, "hello");
    if (req.url === "/missing") return reply(404);
    if (req.url === "/throttled") return n === 1 ? reply(429, "wait", { "retry-after": "1" }) : reply(200, "after wait");
    if (req.url === "/throttled-long") return reply(429, "wait", { "retry-after": "3600" });
    if (req.url === "/flaky") return n < 3 ? reply(503) : reply(200, "third time");
    if (req.url === "/broken") return reply(500);
    if (req.url === "/slow") return void setTimeout(() => reply(200, "late"), 1500);
    if (req.url === "/big") return reply(200, "x".repeat(10_000));
    reply(404);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const fetcher = (over: Partial<ConstructorParameters<typeof PoliteFetcher>[0]> = {}) =>
  new PoliteFetcher({ ...POLITE_DEFAULTS, userAgent: userAgentFor("https://example.org/contact"), delayMs: 0, timeoutMs: 400, retries: 2, retryBaseMs: 10, ...over });

describe("PoliteFetcher", () => {
  it("sends an honest User-Agent, obeys robots.txt and its Crawl-delay", async () => {
    const f = fetcher();
    expect((await f.get(`${base}/ok`)).body.toString()).toBe("hello");
    expect(agents.at(-1)).toBe("mushroom-id-scraper/0.1 (+https://example.org/contact)");
    await expect(f.get(`${base}/private/page`)).rejects.toMatchObject({ name: "NonRetryableError", reason: "robots" });
    expect(hits.get("/private/page")).toBeUndefined();
    expect(await f.delayFor(`${base}/ok`)).toBe(200);
    expect(await fetcher({ delayMs: 1000 }).delayFor(`${base}/ok`)).toBe(1000);
  });

  it("classifies 404 as non-retryable without retrying", async () => {
    await expect(fetcher().get(`${base}/missing`)).rejects.toBeInstanceOf(NonRetryableError);
    expect(hits.get("/missing")).toBe(1);
  });

  it("honours Retry-After on 429 and retries 5xx with backoff", async () => {
    expect((await fetcher().get(`${base}/throttled`)).body.toString()).toBe("after wait");
    expect(hits.get("/throttled")).toBe(2);
    expect((await fetcher().get(`${base}/flaky`)).body.toString()).toBe("third time");
    expect(hits.get("/flaky")).toBe(3);
  });

  it("gives up with a retry-later error when retries run out or the wait is too long", async () => {
    await expect(fetcher().get(`${base}/broken`)).rejects.toMatchObject({ name: "RetryLaterError", reason: "http-500" });
    expect(hits.get("/broken")).toBe(3);
    const long = fetcher().get(`${base}/throttled-long`);
    await expect(long).rejects.toBeInstanceOf(RetryLaterError);
    expect(hits.get("/throttled-long")).toBe(1);
  });

  it("times out slow responses (retry-later) and caps body size (non-retryable)", async () => {
    await expect(fetcher({ retries: 0 }).get(`${base}/slow`)).rejects.toMatchObject({ name: "RetryLaterError", reason: "timeout" });
    await expect(fetcher().get(`${base}/big`, { maxBytes: 1000 })).rejects.toMatchObject({ reason: "too-many-bytes" });
  });

  it("stops the run when robots.txt cannot be read", async () => {
    robots = "500";
    try {
      const f = new PoliteFetcher({ ...POLITE_DEFAULTS, userAgent: "t", delayMs: 0, retries: 1, retryBaseMs: 1 });
      await expect(f.get(`${base}/ok`)).rejects.toBeInstanceOf(CriticalError);
      expect(hits.get("/ok")).toBe(1); // only the first test fetched it
    } finally {
      robots = "User-agent: *\nDisallow: /private/\n";
    }
  });

  it("parses Retry-After seconds and dates", () => {
    expect(parseRetryAfter("7")).toBe(7000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(parseRetryAfter("soon")).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});
