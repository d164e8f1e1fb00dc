// A person browses the catalog in a real browser against the production server.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launchChromium } from "./support/browser";

describe("species browsing in Chromium", () => {
  const base = inject("baseUrl");
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 390, height: 844 } }); // a phone
  });
  afterAll(async () => browser?.close());

  it("lists at least 400 real taxa, each card with a photo", async () => {
    await page.goto(`${base}/species?rank=SPECIES`);
    const summary = await page.getByText(/^\d+ taxa\.$/).textContent();
    expect(Number(summary?.split(" ")[0])).toBeGreaterThanOrEqual(400);
    const cards = page.getByRole("list", { name: "Species results" }).getByRole("listitem");
    expect(await cards.count()).toBe(24);
    const withPhoto = await cards.locator("img[src^='/api/photos/']").count();
    expect(withPhoto).toBeGreaterThanOrEqual(20);
    const src = await cards.locator("img").first().getAttribute("src");
    expect((await fetch(base + src!)).status).toBe(200);
  });

  it("finds a species by an outdated name and by a common name from the Kaggle-215 table", async () => {
    for (const [q, name] of [
      ["Boletus badius", "Imleria badia"],
      ["bay bolete", "Imleria badia"],
      ["Coprinus atramentarius", "Coprinopsis atramentaria"],
    ]) {
      await page.goto(`${base}/species?q=${encodeURIComponent(q)}`);
      await expect(page.getByRole("link", { name: new RegExp(name) }).first().isVisible(), q).resolves.toBe(true);
    }
  });

  it("shows a genus page with its species, photos and the genus's danger fact", async () => {
    await page.goto(`${base}/species/amanita`);
    await expect(page.getByRole("heading", { name: "Amanita", exact: true }).isVisible()).resolves.toBe(true);
    const members = page.getByTestId("genus-members");
    expect(await members.getByRole("listitem").count()).toBeGreaterThanOrEqual(10);
    expect(await members.locator("img").count()).toBeGreaterThanOrEqual(5);
    expect(await page.getByTestId("genus-fact").textContent()).toMatch(/includes deadly species/);
    await page.goto(`${base}/species/amanita-rubescens`);
    expect(await page.getByTestId("genus-fact").textContent()).toMatch(/Genus Amanita: includes deadly species/);
  });

  it("credits each photo compactly: photographer, licence and source, linked; NC marked", async () => {
    await page.goto(`${base}/species/agaricus-arvensis`);
    const credits = await page.getByTestId("photo-credit").allTextContents();
    expect(credits.some((c) => /^© Nathan Wilson · CC BY-SA 3\.0 · /.test(c))).toBe(true);
    expect(credits.every((c) => c.length < 120)).toBe(true);
    const link = page.getByTestId("photo-credit").getByRole("link", { name: "© Nathan Wilson" }).first();
    expect(await link.getAttribute("href")).toMatch(/^https:\/\/mushroomobserver\.org\//);
  });

  it("says so when sources disagree, and uses the more dangerous class", async () => {
    await page.goto(`${base}/species/chlorophyllum-rhacodes`);
    const edibility = await page.getByRole("region", { name: /Edibility/ }).textContent();
    expect(edibility).toContain("Poisonous");
    expect(await page.getByTestId("edibility-disagreement").textContent()).toMatch(/more dangerous class is used/);
  });

  for (const query of ["horse mushroom", "Agaricus arvensis"]) {
    it(`finds the horse mushroom by searching "${query}" and opens its page`, async () => {
      await page.goto(`${base}/`);
      await page.getByRole("searchbox").fill(query);
      await page.getByRole("searchbox").press("Enter");
      await page.waitForURL(/\/species\?q=/);
      await page.getByRole("link", { name: /Agaricus arvensis/ }).click();
      await page.waitForURL(/\/species\/agaricus-arvensis$/);
      await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Agaricus arvensis");
      await expect(page.getByText(/Horse mushroom/i).first().isVisible()).resolves.toBe(true);
      const facts = await page.locator("dl").textContent();
      expect(facts).toContain("Agaricaceae");
      const description = await page.getByRole("region", { name: "Description" }).textContent();
      expect(description).toMatch(/commonly known as the horse mushroom/);
      const edibility = await page.getByRole("region", { name: /Edibility/ }).textContent();
      expect(edibility).toMatch(/Never eat a wild mushroom without an expert's confirmation/);
      expect(edibility).toMatch(/Source: \S/);
      expect(edibility).not.toMatch(/safe to eat/i);
    });
  }

  it("shows a deadly species with its danger and its edible lookalikes", async () => {
    await page.goto(`${base}/species/amanita-phalloides`);
    const edibility = await page.getByRole("region", { name: /Edibility/ }).textContent();
    expect(edibility).toContain("Deadly");
    const lookalikes = await page.getByRole("region", { name: "Lookalikes" }).getByRole("listitem").count();
    expect(lookalikes).toBeGreaterThan(0);
  });

  it("filters by family through the form", async () => {
    await page.goto(`${base}/species`);
    await page.getByLabel("Family").selectOption("Russulaceae");
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForURL(/family=Russulaceae/);
    const n = Number((await page.getByText(/^\d+ taxa\.$/).textContent())?.split(" ")[0]);
    expect(n).toBeGreaterThanOrEqual(27); // the 2023 records' Russulaceae, plus the photo folders'
    const families = await page.getByRole("list", { name: "Species results" }).getByRole("listitem").allTextContents();
    expect(families.every((f) => f.includes("Russulaceae"))).toBe(true);
  });

  it("answers bad input with a 404 or an empty result, never a 500", async () => {
    const status = async (p: string) => (await fetch(base + p)).status;
    expect(await status("/species/no-such-mushroom")).toBe(404);
    expect(await status("/species/..%2F..%2Fetc%2Fpasswd")).toBe(404);
    expect(await status("/species?page=99999999999999")).toBe(200);
    expect(await status("/species?page=-3&edibility=NOPE&family=%00")).toBe(200);
    expect(await status(`/species?q=${encodeURIComponent("'; DROP TABLE \"Species\"; --")}`)).toBe(200);
    expect(await status("/api/photos/not-a-hash/thumb")).toBe(404);
    await page.goto(`${base}/species?q=${encodeURIComponent("' OR 1=1 --")}`);
    await expect(page.getByText("No species match.").isVisible()).resolves.toBe(true);
    await page.goto(`${base}/species?page=40`);
    await expect(page.getByText(/past the last page/).isVisible()).resolves.toBe(true);
    const res = await page.goto(`${base}/species/definitely-not-a-species`);
    expect(res?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Species not found" }).isVisible()).resolves.toBe(true);
  });
});
