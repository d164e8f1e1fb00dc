// Moderation against the production server and in Chromium: who may reach the review pages and endpoints, a
// reviewer's decisions and where their results show, forged cross-site posts, and sign-in rate limits.
// The server runs on a catalog of its own (seeded species, two reference photos, three accounts).
import { createServer, type Server } from "node:http";
import { existsSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCatalog, type Catalog } from "../../lib/catalog/client";
import { readTrainingPhotos } from "../../models/train/catalog-photos";
import { readOnnxModel } from "../../lib/vit/onnx/read.ts";
import { parseModelMeta } from "../../lib/vit/model-meta.ts";
import { launchChromium } from "./support/browser";
import { ACCOUNTS, AUTH_SECRET, contribute, moderationCatalog, PASSWORD, SAMPLES, sampleFiles, signIn, wrongSignIn } from "./support/review";
import { startServer, type RunningServer } from "./support/server";

describe("moderation", () => {
  let server: RunningServer;
  let base: string;
  let db: Catalog;
  let dir: string;
  let photoStore: string;
  let browser: Browser;
  let samples: string[];
  let next = 0;
  const nextSample = () => samples[next++]!;
  const photoOf = (hash: string) => db.photo.findUniqueOrThrow({ where: { contentHash: hash }, include: { species: true } });

  beforeAll(async () => {
    const c = await moderationCatalog();
    ({ dir, photoStore } = c);
    samples = await sampleFiles();
    db = createCatalog(c.databaseUrl);
    server = await startServer({
      DATABASE_URL: c.databaseUrl,
      PHOTO_STORE: photoStore,
      AUTH_SECRET,
      UPLOAD_RATE_PER_MINUTE: "1000",
      SIGNIN_ATTEMPTS_PER_ACCOUNT: "3",
      SIGNIN_ATTEMPTS_PER_ADDRESS: "100",
    });
    base = server.baseUrl;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await db?.$disconnect();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Everything a refused request must leave as it was. */
  const snapshot = async () => ({
    photos: await db.photo.findMany({ select: { id: true, status: true, speciesId: true }, orderBy: { id: "asc" } }),
    decisions: await db.reviewDecision.count(),
    embeddings: await db.photoEmbedding.count(),
    users: await db.user.findMany({ select: { email: true, role: true, banned: true }, orderBy: { email: "asc" } }),
  });

  async function signInInBrowser(page: Page, email: string, password = PASSWORD) {
    await page.goto(`${base}/sign-in`);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
  }

  it("refuses anonymous and reviewer-less access to every review page and endpoint (401/403), and changes nothing", async () => {
    const pending = await contribute(base, nextSample(), "Agaricus arvensis");
    const id = (await photoOf(pending)).id;
    const before = await snapshot();
    const user = await signIn(base, ACCOUNTS.user);
    const reviewer = await signIn(base, ACCOUNTS.reviewer);
    const targetUser = (await db.user.findUniqueOrThrow({ where: { email: ACCOUNTS.user } })).id;
    const json = { "content-type": "application/json", origin: base };
    const requests: { what: string; init: () => RequestInit & { url: string }; adminOnly?: boolean }[] = [
      ...["/review", `/review/${id}`, "/review/audit", "/review/accounts"].map((p) => ({ what: `page ${p}`, init: () => ({ url: p }), adminOnly: p === "/review/accounts" })),
      ...["/api/review/queue", "/api/review/audit", `/api/review/photos/${id}`, `/api/review/photos/${id}/thumb`, `/api/review/photos/${id}/full`].map((p) => ({ what: `GET ${p}`, init: () => ({ url: p }) })),
      ...(["approve", "reject"] as const).map((action) => ({ what: `POST ${action}`, init: () => ({ url: `/api/review/photos/${id}/decision`, method: "POST", headers: json, body: JSON.stringify({ action }) }) })),
      { what: "POST relabel (form)", init: () => ({ url: `/api/review/photos/${id}/decision`, method: "POST", headers: { origin: base }, body: new URLSearchParams({ action: "relabel", taxon: "Amanita phalloides" }) }) },
      { what: "admin list-users", init: () => ({ url: "/api/auth/admin/list-users" }), adminOnly: true },
      { what: "admin create-user", init: () => ({ url: "/api/auth/admin/create-user", method: "POST", headers: json, body: JSON.stringify({ email: "intruder@example.org", password: PASSWORD, name: "x", role: "admin" }) }), adminOnly: true },
      { what: "admin set-role", init: () => ({ url: "/api/auth/admin/set-role", method: "POST", headers: json, body: JSON.stringify({ userId: targetUser, role: "admin" }) }), adminOnly: true },
      { what: "admin ban-user", init: () => ({ url: "/api/auth/admin/ban-user", method: "POST", headers: json, body: JSON.stringify({ userId: targetUser }) }), adminOnly: true },
    ];
    const statuses: string[] = [];
    for (const r of requests) {
      for (const [who, cookie] of [["anonymous", undefined], ["user", user], ...(r.adminOnly ? [["reviewer", reviewer]] : [])] as const) {
        const { url, ...init } = r.init();
        const res = await fetch(base + url, { ...init, headers: { ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}) }, redirect: "manual" });
        const want = who === "anonymous" ? 401 : 403;
        statuses.push(`${r.what} as ${who}: ${res.status}`);
        expect(res.status, `${r.what} as ${who}`).toBe(want);
        // Nothing of the photo leaks into a refusal.
        expect(Buffer.from(await res.arrayBuffer()).includes(pending)).toBe(false);
      }
    }
    expect(statuses.length).toBeGreaterThan(30);
    expect(await snapshot()).toEqual(before);

    // In the browser: the page answers 401 and shows the sign-in link, not the queue.
    const page = await browser.newPage();
    const res = await page.goto(`${base}/review`);
    expect(res?.status()).toBe(401);
    await expect(page.getByTestId("unauthorized").isVisible()).resolves.toBe(true);
    expect(await page.getByTestId("queue").count()).toBe(0);
    // Signed in without the reviewer role: 403.
    await signInInBrowser(page, ACCOUNTS.user);
    await page.waitForURL(/\/review$/);
    await expect(page.getByTestId("forbidden").isVisible()).resolves.toBe(true);
    expect((await page.goto(`${base}/review/${id}`))?.status()).toBe(403);
    expect(await page.getByTestId("contributed-photo").count()).toBe(0);
    await page.close();
    expect(await snapshot()).toEqual(before);
  });

  it("a reviewer signs in, judges the photo beside the reference photos and the model's top five, and approves it: it shows on the species page with the contributor's credit, counts for training and is embedded", async () => {
    const hash = await contribute(base, nextSample(), "Agaricus arvensis", "Jane Doe");
    const id = (await photoOf(hash)).id;
    const page = await browser.newPage();
    await signInInBrowser(page, ACCOUNTS.reviewer);
    await page.waitForURL(/\/review$/);
    await expect(page.getByTestId("signed-in-as").textContent()).resolves.toContain(ACCOUNTS.reviewer);
    await page.locator(`a[href="/review/${id}"]`).click();
    await page.waitForURL(new RegExp(`/review/${id}$`));
    const photo = page.getByTestId("contributed-photo");
    await photo.waitFor();
    await page.waitForFunction((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth > 0, await photo.elementHandle());
    const refs = page.getByTestId("reference-photos").locator("img");
    expect(await refs.count()).toBe(2);
    for (const img of await refs.all()) await page.waitForFunction((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth > 0, await img.elementHandle());
    const top5 = page.getByTestId("model-top5").getByRole("listitem");
    expect(await top5.count()).toBe(5);
    expect(await top5.first().textContent()).toMatch(/\d+\.\d %/);

    await page.getByTestId("approve").click();
    await page.waitForURL(/\/review\?decided=/);
    await expect(page.getByTestId("decided").textContent()).resolves.toMatch(/approved/);
    const row = await photoOf(hash);
    expect(row.status).toBe("APPROVED");
    const audit = await db.reviewDecision.findFirstOrThrow({ where: { photoId: id } });
    expect(audit).toMatchObject({ action: "APPROVE", reviewerEmail: ACCOUNTS.reviewer, fromStatus: "PENDING_REVIEW", toStatus: "APPROVED", toTaxon: "Agaricus arvensis" });
    expect(await db.photoEmbedding.findUnique({ where: { photoId: id } })).toMatchObject({ dim: 192 });
    expect((await readTrainingPhotos(db, photoStore)).photos.map((p) => p.photoId)).toContain(id);

    await page.goto(`${base}/species/agaricus-arvensis`);
    const contributed = page.getByTestId("contributed-photos");
    await expect(contributed.locator(`img[src="/api/photos/${hash}/thumb"]`).count()).resolves.toBe(1);
    await expect(contributed.getByTestId("photo-credit").first().textContent()).resolves.toBe("© Jane Doe · CC BY 4.0 · Site contributions");
    expect((await fetch(`${base}/api/photos/${hash}/full`)).status).toBe(200);

    await page.goto(`${base}/review/audit`);
    await expect(page.getByTestId("audit-log").textContent()).resolves.toMatch(new RegExp(`${ACCOUNTS.reviewer}approve${id}`));
    await page.close();
  });

  it("a reviewer relabels a photo to another taxon by a common name: it moves there, approved and audited", async () => {
    const hash = await contribute(base, nextSample(), "Agaricus arvensis");
    const id = (await photoOf(hash)).id;
    const page = await browser.newPage();
    await signInInBrowser(page, ACCOUNTS.reviewer);
    await page.waitForURL(/\/review$/);
    await page.goto(`${base}/review/${id}`);
    await page.getByTestId("relabel-taxon").fill("bitter bolete");
    await page.getByTestId("relabel").click();
    await page.waitForURL(/\/review\?decided=/);
    const row = await photoOf(hash);
    expect(row).toMatchObject({ status: "APPROVED", species: { scientificName: "Tylopilus felleus" } });
    expect(await db.reviewDecision.findFirstOrThrow({ where: { photoId: id } })).toMatchObject({ action: "RELABEL", fromTaxon: "Agaricus arvensis", toTaxon: "Tylopilus felleus" });
    await page.goto(`${base}/species/tylopilus-felleus`);
    await expect(page.getByTestId("contributed-photos").locator(`img[src="/api/photos/${hash}/thumb"]`).count()).resolves.toBe(1);
    await page.close();
  });

  it("an approval updates the prototype head at once: a taxon the model lacks is recognised without retraining", async () => {
    const labels = parseModelMeta(readOnnxModel(new Uint8Array(await readFile(path.resolve("public/models/mushroom-species.onnx")))).metadata).labels;
    const fresh = (await db.species.findMany({ where: { rank: "SPECIES" }, select: { scientificName: true }, orderBy: { scientificName: "asc" } }))
      .map((x) => x.scientificName)
      .find((n) => !labels.includes(n))!;
    expect(fresh).toBeTruthy();
    const file = nextSample();
    const photo = new Uint8Array(await readFile(path.join(SAMPLES, file)));
    const identify = async () => {
      const f = new FormData();
      f.append("photo", new Blob([photo]), "photo.jpg");
      return (await (await fetch(`${base}/api/identify`, { method: "POST", body: f })).json()) as { candidates: { label: string; probability: number }[] };
    };
    expect((await identify()).candidates.map((c) => c.label)).not.toContain(fresh);
    const hash = await contribute(base, file, fresh);
    const id = (await photoOf(hash)).id;
    const cookie = await signIn(base, ACCOUNTS.reviewer);
    const res = await fetch(`${base}/api/review/photos/${id}/decision`, { method: "POST", headers: { cookie, origin: base, "content-type": "application/json" }, body: JSON.stringify({ action: "approve" }) });
    expect(res.status).toBe(200);
    const protos = await (await fetch(`${base}/api/model/prototypes`)).json();
    expect(protos.taxa.map((t: { name: string }) => t.name)).toContain(fresh);
    const after = await identify();
    const found = after.candidates.find((c) => c.label === fresh);
    expect(found, `${fresh} among ${after.candidates.map((c) => c.label).join(", ")}`).toBeDefined();
  });

  it("a rejected photo never appears anywhere", async () => {
    const file = nextSample();
    const hash = await contribute(base, file, "Agaricus arvensis", "Mallory");
    const id = (await photoOf(hash)).id;
    const page = await browser.newPage();
    await signInInBrowser(page, ACCOUNTS.admin);
    await page.waitForURL(/\/review$/);
    await page.goto(`${base}/review/${id}`);
    await page.getByLabel("Reason for rejecting").fill("not a mushroom");
    await page.getByTestId("reject").click();
    await page.waitForURL(/\/review\?decided=/);
    await expect(page.getByTestId("decided").textContent()).resolves.toMatch(/rejected/);
    expect(await page.getByTestId("queue").locator(`a[href="/review/${id}"]`).count()).toBe(0);
    const row = await photoOf(hash);
    expect(row.status).toBe("REJECTED");
    expect(await db.reviewDecision.findFirstOrThrow({ where: { photoId: id } })).toMatchObject({ action: "REJECT", reviewerEmail: ACCOUNTS.admin, note: "not a mushroom" });

    const admin = await signIn(base, ACCOUNTS.admin);
    const texts: string[] = [];
    for (const url of ["/species/agaricus-arvensis", "/species?q=agaricus", "/species/agaricus", "/", "/api/review/queue", "/api/review/audit"]) {
      const res = await fetch(base + url, { headers: { cookie: admin } });
      expect(res.status, url).toBe(200);
      texts.push(await res.text());
    }
    // The audit log names the decision by photo id, never by the rejected photo's bytes or address.
    for (const t of texts.slice(0, 5)) expect(t).not.toContain(hash);
    expect(texts.join("\n")).not.toContain("Mallory");
    for (const v of ["thumb", "full"]) {
      expect((await fetch(`${base}/api/photos/${hash}/${v}`)).status).toBe(404);
      expect((await fetch(`${base}/api/review/photos/${id}/${v}`, { headers: { cookie: admin } })).status).toBe(404);
    }
    const facts = await fetch(`${base}/api/species/facts`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ labels: ["Agaricus arvensis"] }) });
    expect(JSON.stringify(await facts.json())).not.toContain(hash);
    expect((await readTrainingPhotos(db, photoStore)).photos.map((p) => p.photoId)).not.toContain(id);
    expect(await db.photoEmbedding.findUnique({ where: { photoId: id } })).toBeNull();
    for (const rel of [row.filePath, row.trainPath, row.thumbPath]) expect(existsSync(path.join(photoStore, rel!))).toBe(false);
    // Sent again, the same bytes are recognised and stay rejected rather than queue again.
    const again = new FormData();
    again.append("photo", new Blob([new Uint8Array(await readFile(path.join(SAMPLES, file)))]), "photo.jpg");
    again.append("species", "Agaricus arvensis");
    again.append("consent", "yes");
    const resent = await fetch(`${base}/api/contributions`, { method: "POST", body: again });
    expect(resent.status).toBe(200);
    expect(await resent.json()).toMatchObject({ queued: false });
    expect((await photoOf(hash)).status).toBe("REJECTED");
    await page.close();
  });

  it("refuses a forged cross-site POST: a page on another origin cannot decide or change accounts with a reviewer's cookie", async () => {
    const hash = await contribute(base, nextSample(), "Agaricus arvensis");
    const id = (await photoOf(hash)).id;
    const targetUser = (await db.user.findUniqueOrThrow({ where: { email: ACCOUNTS.user } })).id;
    const before = await snapshot();
    // The attacker's page: same site as the review server (127.0.0.1, another port), so SameSite=Lax cookies go
    // along and only the origin checks stand in the way.
    const target = new URL(base);
    const evil: Server = createServer((req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end(`<!doctype html><body>
        <form id="f" method="post" action="${base}/api/review/photos/${id}/decision"><input name="action" value="approve"></form>
        <script>
          fetch(${JSON.stringify(`${base}/api/auth/admin/set-role`)}, { method: "POST", credentials: "include", mode: "no-cors",
            headers: { "content-type": "text/plain" }, body: JSON.stringify({ userId: ${JSON.stringify(targetUser)}, role: "admin" }) })
            .finally(() => document.getElementById("f").submit());
        </script></body>`);
    });
    await new Promise<void>((r) => evil.listen(0, target.hostname, r));
    const evilUrl = `http://${target.hostname}:${(evil.address() as AddressInfo).port}/`;
    try {
      const context = await browser.newContext();
      const page = await context.newPage();
      await signInInBrowser(page, ACCOUNTS.admin);
      await page.waitForURL(/\/review$/);
      expect((await context.cookies(base)).length).toBeGreaterThan(0);
      const decision = page.waitForResponse((r) => r.url().endsWith(`/api/review/photos/${id}/decision`));
      await page.goto(evilUrl);
      const res = await decision;
      expect(res.status()).toBe(403);
      expect(await res.text()).toMatch(/cross-site|Origin/);
      await context.close();
    } finally {
      await new Promise((r) => evil.close(r));
    }
    // The same forgeries from a script with the cookie and a foreign Origin.
    const cookie = await signIn(base, ACCOUNTS.admin);
    for (const origin of ["https://evil.example", "null", `http://${target.hostname}:1`]) {
      const d = await fetch(`${base}/api/review/photos/${id}/decision`, { method: "POST", headers: { cookie, origin, "content-type": "application/json" }, body: JSON.stringify({ action: "approve" }) });
      expect(d.status, origin).toBe(403);
      const r = await fetch(`${base}/api/auth/admin/set-role`, { method: "POST", headers: { cookie, origin, "content-type": "application/json" }, body: JSON.stringify({ userId: targetUser, role: "admin" }) });
      expect(r.status, origin).toBe(403);
    }
    const noOrigin = await fetch(`${base}/api/review/photos/${id}/decision`, { method: "POST", headers: { cookie, "content-type": "application/json" }, body: JSON.stringify({ action: "approve" }) });
    expect(noOrigin.status).toBe(403);
    expect(await snapshot()).toEqual(before);
    // From the site itself the same request works.
    const ok = await fetch(`${base}/api/review/photos/${id}/decision`, { method: "POST", headers: { cookie, origin: base, "content-type": "application/json" }, body: JSON.stringify({ action: "approve" }) });
    expect(ok.status).toBe(200);
  });

  it("rate-limits wrong passwords: after three, even the right password waits, and the sign-in page says so", async () => {
    const email = ACCOUNTS.reviewer;
    for (let i = 0; i < 3; i++) expect((await wrongSignIn(base, email)).status).toBe(401);
    const limited = await wrongSignIn(base, email);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(60);
    const page = await browser.newPage();
    await signInInBrowser(page, email);
    await expect(page.getByTestId("sign-in-error").textContent()).resolves.toMatch(/Too many sign-in attempts/);
    expect(page.url()).toMatch(/\/sign-in$/);
    expect(await db.rateLimit.findUnique({ where: { key: `signin-account:${email}` } })).toMatchObject({ points: 5 });
    await page.close();
    // Other accounts are not locked out.
    await signIn(base, ACCOUNTS.admin);
  });
});
