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

  it("lists at least 200 real species", async () => {
    await page.goto(`${base}/species`);
    await expect(page.getByText(/^203 species\.$/).isVisible()).resolves.toBe(true);
    expect(await page.getByRole("list", { name: "Species results" }).getByRole("listitem").count()).toBe(24);
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
      await expect(page.getByText("Horse mushroom", { exact: true }).isVisible()).resolves.toBe(true);
      const facts = await page.locator("dl").textContent();
      expect(facts).toContain("Agaricaceae");
      const description = await page.getByRole("region", { name: "Description" }).textContent();
      expect(description).toMatch(/commonly known as the horse mushroom/);
      await expect(page.getByText("Edibility unknown").first().isVisible()).resolves.toBe(true);
      await expect(page.getByText("treat as not edible").isVisible()).resolves.toBe(true);
    });
  }

  it("filters by family through the form", async () => {
    await page.goto(`${base}/species`);
    await page.getByLabel("Family").selectOption("Russulaceae");
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForURL(/family=Russulaceae/);
    await expect(page.getByText(/^27 species\.$/).isVisible()).resolves.toBe(true);
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
