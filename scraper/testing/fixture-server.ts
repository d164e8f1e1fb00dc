// A local HTTP server (node:http, 127.0.0.1) that serves the fixture mushroom.world, with optional faults
// per path to exercise the crawler's error handling. Counts requests per path.
import { readFile } from "node:fs/promises";
import http from "node:http";
import { crc32 } from "node:zlib";
import sharp from "sharp";
import type { AddressInfo } from "node:net";
import { nameListHtml, pageName, photoJpeg, speciesHtml, type FixtureSite } from "./fixture-site";

export type Fault =
  | "not-found" // 404 always
  | "throttle-once" // 429 with Retry-After: 1, then normal
  | "error-once" // 500, then normal
  | "error-always" // 500 every time
  | "slow-once" // first response stalls for `slowMs` (past the client's timeout), then normal
  | "truncated" // a JPEG cut in half
  | "html-instead" // an HTML page served as image/jpeg
  | "huge-pixels" // a small PNG whose header claims 30000x30000 pixels (a decompression bomb)
  | "malformed"; // broken HTML with no species caption

export type FixtureServerOptions = {
  faults?: Record<string, Fault>;
  /** robots.txt body; default disallows /private/ only. */
  robots?: string;
  slowMs?: number;
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Edibility text on species pages (the current site says it has none). */
  edibility?: (scientificName: string) => string | undefined;
};

export type FixtureServer = {
  url: string;
  requests: Map<string, number>;
  close(): Promise<void>;
};

export const DEFAULT_ROBOTS = "User-agent: *\nDisallow: /private/\n";

export async function startFixtureServer(site: FixtureSite, opts: FixtureServerOptions = {}): Promise<FixtureServer> {
  const bySlug = new Map(site.species.map((s) => [s.slug, s]));
  const photoPaths = new Set(site.species.flatMap((s) => s.photoPaths));
  const requests = new Map<string, number>();
  const jpegCache = new Map<string, Promise<Buffer>>();
  const jpeg = (p: string) => {
    let b = jpegCache.get(p);
    const real = site.realPhotos.get(p);
    if (!b) jpegCache.set(p, (b = real ? readFile(real) : photoJpeg(p)));
    return b;
  };

  const server = http.createServer(async (req, res) => {
    const key = req.url ?? "/";
    const n = (requests.get(key) ?? 0) + 1;
    requests.set(key, n);
    const u = new URL(key, "http://fixture");
    const fault = opts.faults?.[key];
    const send = (status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(body), ...headers });
      res.end(body);
    };
    try {
      if (fault === "not-found") return send(404, "text/plain", "not found");
      if (fault === "throttle-once" && n === 1) return send(429, "text/plain", "slow down", { "retry-after": "1" });
      if ((fault === "error-once" && n === 1) || fault === "error-always") return send(500, "text/plain", "oops");
      if (fault === "slow-once" && n === 1) await new Promise((r) => setTimeout(r, opts.slowMs ?? 3000));
      if (fault === "malformed") return send(200, "text/html", "<html><body><div class=caption><b></div><div class='labelus'>Fam");
      if (u.pathname === "/robots.txt") return send(200, "text/plain", opts.robots ?? DEFAULT_ROBOTS);
      if (u.pathname === "/mushrooms/namelist") return send(200, "text/html; charset=utf-8", nameListHtml(site));
      if (u.pathname === "/show") {
        const s = bySlug.get(u.searchParams.get("n") ?? "");
        if (!s) return send(404, "text/plain", "no such species");
        return send(200, "text/html; charset=utf-8", speciesHtml(s, opts.edibility?.(s.species.scientificName)));
      }
      if (photoPaths.has(u.pathname)) {
        if (fault === "html-instead") return send(200, "image/jpeg", "<html><body>Image moved</body></html>");
        const bytes = await jpeg(u.pathname);
        if (fault === "huge-pixels") return send(200, "image/png", await hugePng());
        if (fault === "truncated") return send(200, "image/jpeg", bytes.subarray(0, Math.floor(bytes.length / 2)));
        return send(200, "image/jpeg", bytes);
      }
      return send(404, "text/plain", "not found");
    } catch (e) {
      if (!res.headersSent) send(500, "text/plain", String(e));
    }
  });
  await new Promise<void>((r) => server.listen(opts.port ?? 0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export { pageName };

/** A 1x1 PNG with its IHDR rewritten to claim 30000x30000 (CRC fixed so decoders read the header). */
async function hugePng(): Promise<Buffer> {
  const png = Buffer.from(await sharp({ create: { width: 1, height: 1, channels: 3, background: "#000" } }).png().toBuffer());
  png.writeUInt32BE(30_000, 16);
  png.writeUInt32BE(30_000, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
  return png;
}
