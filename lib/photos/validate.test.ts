import { describe, expect, it } from "vitest";
import sharp from "sharp";
import { validateImage } from "./validate";

const jpeg = (w = 64, h = 48) => sharp({ create: { width: w, height: h, channels: 3, background: "#4a7" } }).jpeg().toBuffer();
const limits = { maxBytes: 1_000_000, maxPixels: 10_000_000 };

describe("validateImage", () => {
  it("accepts JPEG, PNG and WebP with their sizes", async () => {
    expect(await validateImage(await jpeg(), limits)).toMatchObject({ ok: true, format: "jpeg", width: 64, height: 48 });
    const png = await sharp({ create: { width: 10, height: 20, channels: 4, background: "#0000" } }).png().toBuffer();
    expect(await validateImage(png, limits)).toMatchObject({ ok: true, format: "png", width: 10, height: 20 });
    const webp = await sharp(await jpeg(30, 30)).webp().toBuffer();
    expect(await validateImage(webp, limits)).toMatchObject({ ok: true, format: "webp" });
  });

  it("rejects each kind of bad input with its own reason", async () => {
    // Noise, so that half the file is half the scan data (a flat image would cut into the header).
    const noise = Buffer.from(Array.from({ length: 200 * 150 * 3 }, (_, i) => (i * 7919) % 251));
    const good = await sharp(noise, { raw: { width: 200, height: 150, channels: 3 } }).jpeg().toBuffer();
    const cases: [string, Uint8Array, string][] = [
      ["empty", new Uint8Array(0), "empty"],
      ["html", Buffer.from("<html><body>moved</body></html>"), "not-an-image"],
      ["truncated", good.subarray(0, Math.floor(good.length / 2)), "corrupt"],
      ["header only", good.subarray(0, 20), "corrupt"],
      ["svg", Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'), "unsupported-format"],
    ];
    for (const [name, bytes, reason] of cases) {
      const r = await validateImage(bytes, limits);
      expect(r.ok, name).toBe(false);
      if (!r.ok) {
        expect(r.reason, name).toBe(reason);
        expect(r.detail.length, name).toBeGreaterThan(0);
      }
    }
  });

  it("enforces the byte and pixel limits", async () => {
    const big = await jpeg(400, 300);
    expect(await validateImage(big, { maxBytes: 100, maxPixels: 1e9 })).toMatchObject({ ok: false, reason: "too-many-bytes" });
    expect(await validateImage(big, { maxBytes: 1e9, maxPixels: 400 * 300 - 1 })).toMatchObject({ ok: false, reason: "too-many-pixels" });
    expect(await validateImage(big, { maxBytes: 1e9, maxPixels: 400 * 300 })).toMatchObject({ ok: true });
  });
});

// Review finding 10: validating one 40-megapixel JPEG decoded ~126 MB of pixels (five per request).
describe("validation decodes shrunk", () => {
  it("checks a 40-megapixel JPEG while decoding only a few thousand pixels, and still catches truncation", async () => {
    const big = await sharp({ create: { width: 7300, height: 5470, channels: 3, background: "#456" } }).jpeg({ quality: 60 }).toBuffer();
    const check = await validateImage(big, { maxBytes: 50e6, maxPixels: 40_000_000 });
    expect(check.ok).toBe(true);
    if (check.ok) {
      expect([check.width, check.height]).toEqual([7300, 5470]);
      expect(check.decodedPixels).toBeLessThan(200 * 200);
    }
    const cut = await validateImage(big.subarray(0, Math.floor(big.length * 0.6)), { maxBytes: 50e6, maxPixels: 40_000_000 });
    expect(cut.ok).toBe(false);
  });
});
