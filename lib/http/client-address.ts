// Which address a request comes from, trusting only a configured number of reverse proxies. The chain is the
// X-Forwarded-For entries followed by the TCP peer; each trusted proxy appended one entry, so the client is the
// entry just before the last `trusted` ones. With no trusted proxy the header is ignored: it is the client's own
// text, and rotating it must not buy a fresh rate-limit budget.
import { randomBytes } from "node:crypto";

export function clientAddress(forwardedFor: string | undefined, peer: string | undefined, trustedProxies: number): string {
  const chain = [...(trustedProxies > 0 && forwardedFor ? forwardedFor.split(",").map((s) => s.trim()).filter(Boolean) : []), peer ?? ""];
  const i = Math.max(0, chain.length - 1 - trustedProxies);
  return chain[i] || "unknown";
}

/** Header our server sets on every request (any incoming copy is replaced), with a per-process token. */
export const CLIENT_ADDRESS_HEADER = "x-mushroom-client-address";
export const CLIENT_TOKEN_HEADER = "x-mushroom-client-token";

const g = globalThis as unknown as { mushroomClientToken?: string };

/** The token of this process: the server and the route handlers share it through globalThis. */
export function clientToken(): string {
  g.mushroomClientToken ??= randomBytes(18).toString("base64url");
  return g.mushroomClientToken;
}
