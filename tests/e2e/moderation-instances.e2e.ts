// Two production servers on one PostgreSQL catalog (the wiped test database, POSTGRES_TEST_URL), as two instances
// behind a load balancer would run: they enforce one shared upload budget and one shared sign-in limit, and a
// session made on one is honoured by the other.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { settings } from "../../lib/settings";
import { freshPostgresCatalog, type TempCatalog } from "../support/temp-db";
import { ACCOUNTS, AUTH_SECRET, createAccounts, signIn, wrongSignIn } from "./support/review";
import { startServer, type RunningServer } from "./support/server";

const UPLOADS_PER_MINUTE = 6;
const ATTEMPTS_PER_ACCOUNT = 4;

describe("two instances on one PostgreSQL", () => {
  let t: TempCatalog;
  let dir: string;
  let servers: RunningServer[] = [];
  beforeAll(async () => {
    t = await freshPostgresCatalog(settings().postgresTestUrl);
    await createAccounts(t.db, t.url);
    dir = await mkdtemp(path.join(os.tmpdir(), "e2e-instances-"));
    const env = {
      DATABASE_URL: t.url,
      PHOTO_STORE: path.join(dir, "photos"),
      AUTH_SECRET,
      UPLOAD_RATE_PER_MINUTE: String(UPLOADS_PER_MINUTE),
      SIGNIN_ATTEMPTS_PER_ACCOUNT: String(ATTEMPTS_PER_ACCOUNT),
      SIGNIN_ATTEMPTS_PER_ADDRESS: "100",
    };
    servers = await Promise.all([startServer(env), startServer(env)]);
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await t?.cleanup();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("share one upload budget: requests spread over both are counted once", async () => {
    const [a, b] = servers.map((s) => s.baseUrl);
    const statuses: number[] = [];
    // Empty uploads: the budget is spent before the body is read (400 empty-body), then 429 on both.
    for (let i = 0; i < UPLOADS_PER_MINUTE + 4; i++) {
      const res = await fetch(`${i % 2 ? b : a}/api/contributions`, { method: "POST", body: new Uint8Array(0) });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, UPLOADS_PER_MINUTE).every((s) => s === 400)).toBe(true);
    expect(statuses.slice(UPLOADS_PER_MINUTE)).toEqual([429, 429, 429, 429]);
    // Both at once, in parallel: still no request beyond the budget gets through anywhere.
    const more = await Promise.all(servers.flatMap((s) => [0, 1, 2].map(() => fetch(`${s.baseUrl}/api/identify`, { method: "POST", body: new Uint8Array(0) }).then((r) => r.status))));
    expect(more.every((s) => s === 429)).toBe(true);
    const row = await t.db.rateLimit.findUnique({ where: { key: "upload:127.0.0.1" } });
    expect(row?.points).toBe(UPLOADS_PER_MINUTE + 4 + 6);
  });

  it("share one sign-in limit per account, and honour each other's sessions", async () => {
    const [a, b] = servers.map((s) => s.baseUrl);
    for (let i = 0; i < ATTEMPTS_PER_ACCOUNT; i++) expect((await wrongSignIn(i % 2 ? b : a, ACCOUNTS.user)).status).toBe(401);
    expect((await wrongSignIn(a, ACCOUNTS.user)).status).toBe(429);
    expect((await wrongSignIn(b, ACCOUNTS.user)).status).toBe(429);
    // A session made on one instance works on the other; signing out on that one ends it on both.
    const cookie = await signIn(a!, ACCOUNTS.reviewer);
    for (const base of [a, b]) expect((await fetch(`${base}/api/review/queue`, { headers: { cookie } })).status).toBe(200);
    expect((await fetch(`${b}/api/auth/sign-out`, { method: "POST", headers: { cookie, origin: b!, "content-type": "application/json" }, body: "{}" })).status).toBe(200);
    for (const base of [a, b]) expect((await fetch(`${base}/api/review/queue`, { headers: { cookie } })).status).toBe(401);
  });
});
