import { describe, expect, it } from "vitest";
import { BodyTooLarge, readLimitedBody } from "../../lib/http/limited-body";
import { clientKey, createLimiter } from "../../lib/http/rate-limit";
import { CLIENT_ADDRESS_HEADER, CLIENT_TOKEN_HEADER, clientAddress, clientToken } from "../../lib/http/client-address";

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
  // Review finding 9: the key was the client-controlled first X-Forwarded-For entry; rotating it gave unlimited uploads.
  it("never keys on client-controlled headers", () => {
    const keys = new Set(
      ["203.0.113.9", "198.51.100.1, 10.0.0.1", "1.1.1.1"].map((xff) => clientKey(new Request("http://x/", { headers: { "x-forwarded-for": xff, "x-real-ip": xff } }))),
    );
    expect(keys.size).toBe(1);
    // A forged copy of our server's header without this process's token counts for nothing either.
    expect(clientKey(new Request("http://x/", { headers: { [CLIENT_ADDRESS_HEADER]: "9.9.9.9", [CLIENT_TOKEN_HEADER]: "guess" } }))).toBe("unidentified");
    expect(clientKey(new Request("http://x/", { headers: { [CLIENT_ADDRESS_HEADER]: "9.9.9.9", [CLIENT_TOKEN_HEADER]: clientToken() } }))).toBe("9.9.9.9");
  });
  it("trusts only the configured number of proxies", () => {
    expect(clientAddress("6.6.6.6", "203.0.113.9", 0)).toBe("203.0.113.9"); // no proxy: the peer, whatever the header says
    expect(clientAddress(undefined, "203.0.113.9", 0)).toBe("203.0.113.9");
    expect(clientAddress("6.6.6.6, 198.51.100.7", "10.0.0.2", 1)).toBe("198.51.100.7"); // one proxy appended the client
    expect(clientAddress("198.51.100.7", "10.0.0.2", 1)).toBe("198.51.100.7");
    expect(clientAddress("6.6.6.6, 198.51.100.7, 10.0.0.3", "10.0.0.2", 2)).toBe("198.51.100.7");
    expect(clientAddress(undefined, "10.0.0.2", 3)).toBe("10.0.0.2"); // fewer entries than proxies: the first there is
  });
});
