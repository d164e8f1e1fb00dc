import { describe, expect, it } from "vitest";
import { BodyTooLarge, readLimitedBody } from "../../lib/http/limited-body";
import { clientKey, createLimiter } from "../../lib/http/rate-limit";

function streamOf(chunks: number, size: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(c) {
      if (sent++ < chunks) c.enqueue(new Uint8Array(size).fill(sent));
      else c.close();
    },
  });
}

describe("upload guards", () => {
  it("reads a body under the cap byte for byte", async () => {
    const req = new Request("http://x/", { method: "POST", body: streamOf(3, 1000), duplex: "half" } as RequestInit);
    const body = await readLimitedBody(req, 3000);
    expect(body.byteLength).toBe(3000);
    expect(body[0]).toBe(1);
    expect(body[2999]).toBe(3);
  });
  it("stops reading a streamed body once it passes the cap, even without content-length", async () => {
    const req = new Request("http://x/", { method: "POST", body: streamOf(1000, 1000), duplex: "half" } as RequestInit);
    await expect(readLimitedBody(req, 5000)).rejects.toBeInstanceOf(BodyTooLarge);
  });
  it("refuses a declared content-length over the cap before reading", async () => {
    const req = new Request("http://x/", { method: "POST", body: "abc", headers: { "content-length": "999999" } });
    await expect(readLimitedBody(req, 10)).rejects.toBeInstanceOf(BodyTooLarge);
  });
  it("rate-limits per client and says when to retry", async () => {
    const l = createLimiter(3, 60);
    for (let i = 0; i < 3; i++) expect((await l.consume("a")).ok).toBe(true);
    const blocked = await l.consume("a");
    expect(blocked.ok).toBe(false);
    if (!blocked.ok) expect(blocked.retryAfterSeconds).toBeGreaterThan(0);
    expect((await l.consume("b")).ok).toBe(true);
  });
  it("keys clients by the nearest proxy's forwarded address", () => {
    expect(clientKey(new Request("http://x/", { headers: { "x-forwarded-for": "203.0.113.9, 10.0.0.1" } }))).toBe("203.0.113.9");
    expect(clientKey(new Request("http://x/"))).toBe("local");
  });
});
