import { mkdtemp, readdir, readFile, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { sha256Hex, storePhoto, THUMB_SIZE, TRAIN_SHORT_SIDE } from "./store";
import { jpegHasExtraSegments } from "./jpeg-segments";

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) out.push(path.join(e.parentPath, e.name));
  return out;
}

describe("storePhoto", () => {
  it("stores a metadata-free original and both derivatives under the hash, once", async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), "store-"));
    // A photo with EXIF (camera, GPS-bearing block) and a non-trivial orientation.
    const bytes = await sharp({ create: { width: 800, height: 600, channels: 3, background: "#863" } })
      .jpeg()
      .withMetadata({ orientation: 6, exif: { IFD0: { Make: "SecretCam", Copyright: "someone" } } })
      .toBuffer();
    expect((await sharp(bytes).metadata()).exif).toBeDefined();

    const r = await storePhoto(root, bytes);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const hash = sha256Hex(bytes);
    expect(r.photo.contentHash).toBe(hash);
    expect(r.photo.filePath).toBe(`originals/${hash.slice(0, 2)}/${hash.slice(2, 4)}/${hash}.jpg`);
    // Orientation 6 means rotated: the stored image is upright 600x800.
    expect([r.photo.width, r.photo.height]).toEqual([600, 800]);

    const original = await sharp(path.join(root, r.photo.filePath)).metadata();
    expect(original.exif).toBeUndefined();
    expect(original.orientation).toBeUndefined();
    expect([original.width, original.height]).toEqual([600, 800]);
    const train = await sharp(path.join(root, r.photo.trainPath)).metadata();
    expect(Math.min(train.width!, train.height!)).toBe(TRAIN_SHORT_SIDE);
    expect(train.format).toBe("jpeg");
    const thumb = await sharp(path.join(root, r.photo.thumbPath)).metadata();
    expect(Math.max(thumb.width!, thumb.height!)).toBe(THUMB_SIZE);
    expect(thumb.format).toBe("webp");

    const files = await walk(root);
    expect(files).toHaveLength(3);
    expect(files.some((f) => f.endsWith(".tmp"))).toBe(false);
    const mtime = (await stat(path.join(root, r.photo.filePath))).mtimeMs;
    const again = await storePhoto(root, bytes);
    expect(again).toEqual(r);
    expect((await stat(path.join(root, r.photo.filePath))).mtimeMs).toBe(mtime);
    expect((await readFile(path.join(root, r.photo.filePath))).length).toBeGreaterThan(0);
  });

  it("keeps a JPEG with nothing to strip byte for byte, and re-encodes a PNG to JPEG", async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), "store-"));
    const clean = await sharp({ create: { width: 300, height: 200, channels: 3, background: "#123" } }).jpeg().toBuffer();
    const r = await storePhoto(root, clean);
    if (!r.ok) throw new Error(r.detail);
    expect(Buffer.compare(await readFile(path.join(root, r.photo.filePath)), clean)).toBe(0);
    const png = await sharp({ create: { width: 30, height: 20, channels: 4, background: "#1238" } }).png().toBuffer();
    const q = await storePhoto(root, png);
    if (!q.ok) throw new Error(q.detail);
    expect(q.photo.format).toBe("png");
    expect((await sharp(path.join(root, q.photo.filePath)).metadata()).format).toBe("jpeg");
  });

  it("stores nothing for a rejected image", async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), "store-"));
    const r = await storePhoto(root, Buffer.from("not an image at all"));
    expect(r).toMatchObject({ ok: false, reason: "not-an-image" });
    expect(await walk(root)).toEqual([]);
  });
});

// Review finding 12: a JPEG comment segment (COM) survived in stored contributions; libvips does not report COM.
describe("comment segments", () => {
  const withComment = async (text: string) => {
    const base = await sharp({ create: { width: 64, height: 48, channels: 3, background: "#7a5" } }).jpeg().toBuffer();
    const com = Buffer.from(text);
    const seg = Buffer.concat([Buffer.from([0xff, 0xfe, (com.length + 2) >> 8, (com.length + 2) & 255]), com]);
    return Buffer.concat([base.subarray(0, 2), seg, base.subarray(2)]);
  };
  it("are detected in the bytes and never stored", async () => {
    const secret = "GPS 51.5,-0.12 owner alice@example.org";
    const bytes = await withComment(secret);
    expect(jpegHasExtraSegments(bytes)).toBe(true);
    expect(jpegHasExtraSegments(await sharp({ create: { width: 8, height: 8, channels: 3, background: "#000" } }).jpeg().toBuffer())).toBe(false);
    const root = await mkdtemp(path.join(os.tmpdir(), "store-com-"));
    const r = await storePhoto(root, bytes);
    expect(r.ok).toBe(true);
    for (const f of await walk(root)) expect((await readFile(f)).includes(Buffer.from("alice@example.org")), f).toBe(false);
  });
  it("a contribution is re-encoded even when it carries nothing to strip", async () => {
    const bare = await sharp({ create: { width: 64, height: 48, channels: 3, background: "#123" } }).jpeg({ quality: 95 }).toBuffer();
    const root = await mkdtemp(path.join(os.tmpdir(), "store-re-"));
    const r = await storePhoto(root, bare, undefined, { reencode: true });
    if (!r.ok) throw new Error(r.detail);
    expect((await readFile(path.join(root, r.photo.filePath))).equals(bare)).toBe(false);
  });
});
