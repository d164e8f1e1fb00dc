// Reviewer accounts through Better Auth on the catalog database, SQLite and PostgreSQL (needs POSTGRES_TEST_URL):
// its schema check passes on our tables, passwords are hashed, sessions live in the database, roles decide what a
// session may do, sign-in is limited per account and per address across instances, cross-site posts are refused.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAuth, type Auth } from "../../lib/auth/auth";
import { checkSameOrigin } from "../../lib/auth/csrf";
import { canManageUsers, canReview } from "../../lib/auth/roles";
import { createCatalog, type Catalog } from "../../lib/catalog/client";
import { CLIENT_ADDRESS_HEADER, CLIENT_TOKEN_HEADER, clientToken } from "../../lib/http/client-address";
import { settings } from "../../lib/settings";
import { freshPostgresCatalog, tempSqliteCatalog, type TempCatalog } from "../support/temp-db";

const ORIGIN = "http://127.0.0.1:3000";
const PASSWORD = "correct horse battery staple";

function signIn(auth: Auth, email: string, password: string, from = "203.0.113.9", headers: Record<string, string> = {}) {
  return auth.handler(
    new Request(`${ORIGIN}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", [CLIENT_ADDRESS_HEADER]: from, [CLIENT_TOKEN_HEADER]: clientToken(), ...headers },
      body: JSON.stringify({ email, password }),
    }),
  );
}

for (const [name, open] of [
  ["SQLite", tempSqliteCatalog],
  ["PostgreSQL", () => freshPostgresCatalog(settings().postgresTestUrl)],
] as const) {
  describe(`reviewer accounts on ${name}`, () => {
    let t: TempCatalog;
    let other: Catalog;
    let a: Auth;
    let b: Auth;
    beforeAll(async () => {
      t = await open();
      other = createCatalog(t.url);
      const s = settings({ ...process.env, DATABASE_URL: t.url, AUTH_SECRET: "test-secret-".padEnd(44, "x"), SIGNIN_ATTEMPTS_PER_ACCOUNT: "4", SIGNIN_ATTEMPTS_PER_ADDRESS: "9" });
      // Two instances: separate clients and Better Auth objects over one database.
      a = createAuth(t.db, s);
      b = createAuth(other, s);
      for (const [email, role] of [["admin@example.org", "admin"], ["reviewer@example.org", "reviewer"], ["user@example.org", "user"]] as const) {
        await a.api.createUser({ body: { email, password: PASSWORD, name: email.split("@")[0]!, role } });
      }
    });
    afterAll(async () => {
      await other?.$disconnect();
      await t?.cleanup();
    });

    it("matches Better Auth's schema check and stores only a password hash", async () => {
      const check = (await a.$context).checkSchema;
      expect(typeof check).toBe("function");
      await check!();
      const account = await t.db.account.findFirstOrThrow({ where: { user: { email: "reviewer@example.org" } } });
      expect(account.providerId).toBe("credential");
      expect(account.password).not.toContain(PASSWORD);
      expect(account.password!.length).toBeGreaterThan(64);
    });

    it("signs in to a database session that either instance accepts, with the account's role", async () => {
      const res = await signIn(a, "Reviewer@Example.org", PASSWORD);
      expect(res.status).toBe(200);
      const cookie = res.headers.get("set-cookie")!;
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Lax/i);
      const header = new Headers({ cookie: cookie.split(";")[0]! });
      const seen = await b.api.getSession({ headers: header });
      expect(seen?.user.email).toBe("reviewer@example.org");
      expect(canReview(seen?.user.role)).toBe(true);
      expect(canManageUsers(seen?.user.role)).toBe(false);
      expect(await t.db.session.count({ where: { userId: seen!.user.id } })).toBe(1);
      // Signing out deletes the row: the cookie is dead on every instance.
      const out = await b.handler(new Request(`${ORIGIN}/api/auth/sign-out`, { method: "POST", headers: { cookie: header.get("cookie")!, origin: ORIGIN } }));
      expect(out.status).toBe(200);
      expect(await a.api.getSession({ headers: header })).toBeNull();
    });

    it("gives review rights to reviewers and admins only", () => {
      expect([canReview("admin"), canReview("reviewer"), canReview("user"), canReview(null), canReview("superuser")]).toEqual([true, true, false, false, false]);
      expect([canManageUsers("admin"), canManageUsers("reviewer")]).toEqual([true, false]);
    });

    it("refuses public sign-up and cross-site posts carrying a session", async () => {
      const up = await a.handler(new Request(`${ORIGIN}/api/auth/sign-up/email`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: "x@example.org", password: PASSWORD, name: "x" }) }));
      expect(up.status).toBeGreaterThanOrEqual(400);
      expect(await t.db.user.count({ where: { email: "x@example.org" } })).toBe(0);
      const cookie = (await signIn(a, "admin@example.org", PASSWORD, "198.51.100.2")).headers.get("set-cookie")!.split(";")[0]!;
      const forged = await a.handler(
        new Request(`${ORIGIN}/api/auth/admin/set-role`, {
          method: "POST",
          headers: { cookie, origin: "https://evil.example", "content-type": "application/json" },
          body: JSON.stringify({ userId: (await t.db.user.findUniqueOrThrow({ where: { email: "user@example.org" } })).id, role: "admin" }),
        }),
      );
      expect(forged.status).toBe(403);
      expect((await t.db.user.findUniqueOrThrow({ where: { email: "user@example.org" } })).role).toBe("user");
    });

    it("limits wrong passwords per account across both instances, and a right one clears the account's count", async () => {
      // 4 attempts per account: two on each instance, then both refuse, even with the right password.
      for (const [i, auth] of [a, b, a, b].entries()) expect((await signIn(auth, "user@example.org", `wrong-${i}`, `192.0.2.${i}`)).status).toBe(401);
      for (const auth of [a, b]) {
        const r = await signIn(auth, "user@example.org", PASSWORD, "192.0.2.50");
        expect(r.status).toBe(429);
        expect(Number(r.headers.get("retry-after"))).toBeGreaterThan(0);
      }
      // Another account is not locked; its successful sign-in resets its own count.
      for (let i = 0; i < 3; i++) expect((await signIn(a, "admin@example.org", "wrong", "192.0.2.60")).status).toBe(401);
      expect((await signIn(b, "admin@example.org", PASSWORD, "192.0.2.60")).status).toBe(200);
      for (let i = 0; i < 3; i++) expect((await signIn(a, "admin@example.org", "wrong", "192.0.2.61")).status).toBe(401);
    });

    it("limits sign-in attempts per client address, whatever the account", async () => {
      const from = "198.51.100.77";
      const statuses: number[] = [];
      for (let i = 0; i < 11; i++) statuses.push((await signIn(i % 2 ? a : b, `nobody${i}@example.org`, "wrong", from)).status);
      expect(statuses.slice(0, 9).every((s) => s === 401)).toBe(true);
      expect(statuses.slice(9)).toEqual([429, 429]);
    });
  });
}

describe("our cross-site check for review mutations", () => {
  const req = (headers: Record<string, string>) => new Request(`http://localhost:3000/api/review/photos/1/decision`, { method: "POST", headers: { host: "127.0.0.1:3000", ...headers } });
  it("accepts the site's own origin and refuses anything else", () => {
    expect(checkSameOrigin(req({ origin: ORIGIN }), undefined).ok).toBe(true);
    expect(checkSameOrigin(req({ origin: ORIGIN, "sec-fetch-site": "same-origin" }), undefined).ok).toBe(true);
    expect(checkSameOrigin(req({ referer: `${ORIGIN}/review/1` }), undefined).ok).toBe(true);
    expect(checkSameOrigin(req({ origin: "https://evil.example" }), undefined).ok).toBe(false);
    expect(checkSameOrigin(req({ origin: "http://127.0.0.1:4000" }), undefined).ok).toBe(false);
    expect(checkSameOrigin(req({ origin: ORIGIN, "sec-fetch-site": "same-site" }), undefined).ok).toBe(false);
    expect(checkSameOrigin(req({ origin: "null" }), undefined).ok).toBe(false);
    // Without SITE_URL the Host the browser asked for decides, not the address the server listens on.
    expect(checkSameOrigin(req({ origin: "http://localhost:3000" }), undefined).ok).toBe(false);
    expect(checkSameOrigin(req({ origin: ORIGIN, host: "" }), undefined).ok).toBe(false);
    expect(checkSameOrigin(req({}), undefined).ok).toBe(false);
    // With SITE_URL the public origin is what counts, not the address the server listens on.
    expect(checkSameOrigin(req({ origin: "https://mushrooms.example" }), "https://mushrooms.example").ok).toBe(true);
    expect(checkSameOrigin(req({ origin: ORIGIN }), "https://mushrooms.example").ok).toBe(false);
  });
});
