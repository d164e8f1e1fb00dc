// Shared steps of the moderation end-to-end tests: a catalog of their own, accounts, sign-in, contributions.
import { mkdtemp, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createAuth } from "../../../lib/auth/auth";
import { createCatalog, type Catalog } from "../../../lib/catalog/client";
import { upsertSource } from "../../../lib/catalog/ingest";
import { recordPhoto } from "../../../lib/catalog/photos";
import { applyMigrations } from "../../../lib/catalog/schema-engine";
import { seedCatalog } from "../../../lib/catalog/seed/seed";
import { storePhoto } from "../../../lib/photos/store";
import { settings } from "../../../lib/settings";

export const SAMPLES = path.join(settings().backboneDir, "imagenet-samples");
export const PASSWORD = "correct horse battery staple";
export const AUTH_SECRET = "e2e-auth-secret-".padEnd(48, "k");
export const ACCOUNTS = { admin: "admin@example.org", reviewer: "reviewer@example.org", user: "user@example.org" } as const;

export async function sampleFiles(): Promise<string[]> {
  return Object.keys(JSON.parse(await readFile(path.join(SAMPLES, "expected.json"), "utf8")));
}

/** A fresh SQLite catalog with the seeded species, two reference photos of the horse mushroom, and a photo store. */
export async function moderationCatalog(): Promise<{ dir: string; databaseUrl: string; photoStore: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "e2e-review-"));
  const databaseUrl = `file:${path.join(dir, "catalog.db")}`;
  const photoStore = path.join(dir, "photos");
  await applyMigrations(databaseUrl);
  const db = createCatalog(databaseUrl);
  try {
    await seedCatalog(db, settings().dataDir, () => {});
    const species = await db.species.findUniqueOrThrow({ where: { scientificName: "Agaricus arvensis" } });
    const sourceId = await upsertSource(db, { key: "e2e-references", name: "E2E reference photos", licence: "CC0 1.0" });
    const files = await sampleFiles();
    for (const f of files.slice(-2)) {
      const stored = await storePhoto(photoStore, await readFile(path.join(SAMPLES, f)));
      if (!stored.ok) throw new Error(stored.detail);
      await recordPhoto(db, { ...stored.photo, speciesId: species.id }, { sourceId, sourceUrl: `e2e:${f}`, licence: "CC0 1.0", attribution: "E2E" });
    }
    await createAccounts(db, databaseUrl);
  } finally {
    await db.$disconnect();
  }
  return { dir, databaseUrl, photoStore };
}

/** An admin, a reviewer and a signed-up account without rights, created the way `npm run admin:create` does. */
export async function createAccounts(db: Catalog, databaseUrl: string): Promise<void> {
  const auth = createAuth(db, settings({ ...process.env, DATABASE_URL: databaseUrl, AUTH_SECRET }));
  for (const [role, email] of Object.entries(ACCOUNTS)) {
    await auth.api.createUser({ body: { email, password: PASSWORD, name: `${role} person`, role: role as "admin" } });
  }
}

// Node's fetch sends Sec-Fetch-Mode, so Better Auth wants an Origin as from a browser on the site.
const signInInit = (base: string, email: string, password: string): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json", origin: base },
  body: JSON.stringify({ email, password }),
});

/** Signs in through the real endpoint and returns the session cookie ("name=value"). */
export async function signIn(base: string, email: string, password = PASSWORD): Promise<string> {
  const res = await fetch(`${base}/api/auth/sign-in/email`, signInInit(base, email, password));
  if (res.status !== 200) throw new Error(`sign-in of ${email}: ${res.status} ${await res.text()}`);
  return res.headers.get("set-cookie")!.split(";")[0]!;
}

export function wrongSignIn(base: string, email: string): Promise<Response> {
  return fetch(`${base}/api/auth/sign-in/email`, signInInit(base, email, "not the password"));
}

/** Contributes a sample photo through POST /api/contributions; returns its hash. */
export async function contribute(base: string, file: string, species: string, credit?: string): Promise<string> {
  const f = new FormData();
  f.append("photo", new Blob([new Uint8Array(await readFile(path.join(SAMPLES, file)))]), "photo.jpg");
  f.append("species", species);
  f.append("consent", "yes");
  if (credit) f.append("credit", credit);
  const res = await fetch(`${base}/api/contributions`, { method: "POST", body: f });
  if (res.status !== 201) throw new Error(`contribution: ${res.status} ${await res.text()}`);
  return (await res.json()).photoHash;
}
