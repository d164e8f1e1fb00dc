// Reviewer accounts: Better Auth over the catalog database (its Prisma adapter, on SQLite or PostgreSQL).
// It hashes passwords (scrypt), keeps sessions in the Session table, checks the Origin of cookie-carrying
// requests against the site's origin, and brings roles through its admin plugin (lib/auth/roles.ts).
// Public sign-up is off: accounts come from `npm run admin:create` or an admin.
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { APIError, createAuthMiddleware } from "better-auth/api";
import { nextCookies } from "better-auth/next-js";
import { admin } from "better-auth/plugins";
import { catalog, type Catalog } from "../catalog/client";
import { providerOf } from "../catalog/adapter";
import { clientKey, createLimiter, type Limiter } from "../http/rate-limit";
import { settings, type Settings } from "../settings";
import { siteOrigins } from "./csrf";
import { ac, DEFAULT_ROLE, roles } from "./roles";
import { authSecret } from "./secret";

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;
/** Where Better Auth's endpoints are mounted (app/api/auth/[...all]/route.ts). */
export const AUTH_BASE_PATH = "/api/auth";

export type SignInLimiters = { perAccount: Limiter; perAddress: Limiter };

export function signInLimiters(db: Catalog, s: Settings = settings()): SignInLimiters {
  return {
    perAccount: createLimiter(s.signInAttemptsPerAccount, s.signInWindowSeconds, { db, name: "signin-account" }),
    perAddress: createLimiter(s.signInAttemptsPerAddress, s.signInWindowSeconds, { db, name: "signin-address" }),
  };
}

const accountKey = (email: unknown) => (typeof email === "string" ? email.trim().toLowerCase().slice(0, 320) : "");

export function createAuth(db: Catalog = catalog(), s: Settings = settings()) {
  const limiters = signInLimiters(db, s);
  return betterAuth({
    appName: "Mushroom ID",
    basePath: AUTH_BASE_PATH,
    baseURL: s.siteUrl,
    // Without SITE_URL, the origin the browser asked for (lib/auth/csrf.ts): a same-origin check, as for our own
    // mutations. (Better Auth's own fallback, the address Next.js listens on, would refuse http://127.0.0.1:3000.)
    trustedOrigins: s.siteUrl ? undefined : (request) => (request ? siteOrigins(request, undefined) : []),
    secret: authSecret(s),
    database: prismaAdapter(db, { provider: providerOf(s.databaseUrl) }),
    emailAndPassword: {
      enabled: true,
      disableSignUp: true,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      maxPasswordLength: MAX_PASSWORD_LENGTH,
    },
    plugins: [admin({ ac, roles, defaultRole: DEFAULT_ROLE, adminRoles: ["admin"] }), nextCookies()],
    // Better Auth's own limiter counts in each process's memory; sign-in is limited below, in the database.
    rateLimit: { enabled: false },
    telemetry: { enabled: false },
    // Explicit: Better Auth turns its origin check off by default when NODE_ENV is "test", and the tests must see
    // what production does.
    advanced: { disableOriginCheck: false, disableCSRFCheck: false },
    logger: {
      log(level, message, ...args) {
        // Without SITE_URL the per-request origin is intended (see lib/settings.ts); the rest is Better Auth's.
        if (!s.siteUrl && message.includes("Base URL is not set")) return;
        (level === "error" ? console.error : level === "warn" ? console.warn : console.log)(`[Better Auth] ${message}`, ...args);
      },
    },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== "/sign-in/email" || !ctx.request) return;
        const byAddress = await limiters.perAddress.consume(clientKey(ctx.request));
        const byAccount = byAddress.ok ? await limiters.perAccount.consume(accountKey(ctx.body?.email)) : byAddress;
        const refused = !byAddress.ok ? byAddress : !byAccount.ok ? byAccount : undefined;
        if (refused) {
          const minutes = Math.ceil(refused.retryAfterSeconds / 60);
          throw new APIError(
            "TOO_MANY_REQUESTS",
            { code: "RATE_LIMITED", message: `Too many sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.` },
            { "Retry-After": String(refused.retryAfterSeconds) },
          );
        }
      }),
      after: createAuthMiddleware(async (ctx) => {
        // A correct password clears the account's count of failures (the address keeps its own).
        if (ctx.path === "/sign-in/email" && ctx.context.newSession) await limiters.perAccount.reset(accountKey(ctx.body?.email));
      }),
    },
  });
}

export type Auth = ReturnType<typeof createAuth>;

const g = globalThis as unknown as { mushroomAuth?: Auth };

/** The process's Better Auth instance over the shared catalog client (made on first use, not at build time). */
export function auth(): Auth {
  g.mushroomAuth ??= createAuth();
  return g.mushroomAuth;
}
