// Backbone features cached on disk by (backbone fingerprint, photo content hash, view), so a rerun only embeds photos
// it has not seen. One binary file per backbone: records of [u16 key length][key utf-8][D float32].
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";

export class FeatureCache {
  private readonly entries = new Map<string, Float32Array>();
  private dirty = false;

  constructor(readonly file: string | undefined, readonly dim: number) {
    if (file && existsSync(file)) this.load(file);
  }

  private load(file: string): void {
    const buf = readFileSync(file);
    let at = 0;
    while (at < buf.length) {
      const len = buf.readUInt16LE(at);
      const key = buf.toString("utf8", at + 2, at + 2 + len);
      at += 2 + len;
      const v = new Float32Array(this.dim);
      new Uint8Array(v.buffer).set(buf.subarray(at, at + 4 * this.dim));
      at += 4 * this.dim;
      if (at > buf.length) throw new Error(`${file}: truncated feature cache (delete it to rebuild)`);
      this.entries.set(key, v);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): Float32Array | undefined {
    return this.entries.get(key);
  }

  set(key: string, v: Float32Array): void {
    if (v.length !== this.dim) throw new Error(`feature for ${key}: ${v.length} values, cache holds ${this.dim}`);
    this.entries.set(key, v);
    this.dirty = true;
  }

  /** Atomic rewrite (a killed run leaves the previous cache intact). */
  save(): void {
    if (!this.file || !this.dirty) return;
    const parts: Buffer[] = [];
    for (const [key, v] of this.entries) {
      const k = Buffer.from(key, "utf8");
      const head = Buffer.alloc(2);
      head.writeUInt16LE(k.length);
      parts.push(head, k, Buffer.from(v.buffer, v.byteOffset, v.byteLength));
    }
    mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp-${process.pid}`;
    writeFileSync(tmp, Buffer.concat(parts));
    renameSync(tmp, this.file);
    this.dirty = false;
  }
}
