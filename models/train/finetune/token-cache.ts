// Cached inputs of the last block, per view: the class token entering it [D] (float32), the backbone's own class
// feature [D] (float32, for the frozen linear probe) and the block's LayerNorm-1 output of all N tokens [N, D]
// (half precision). Append-only file per backbone fingerprint: a killed run keeps what it embedded.
import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";

export type TokenRecord = { feat: Float32Array; xcls: Float32Array; h: Uint16Array };

export class TokenCache {
  private readonly entries = new Map<string, TokenRecord>();
  private pending: Buffer[] = [];

  constructor(readonly file: string | undefined, readonly N: number, readonly D: number) {
    if (file && existsSync(file)) this.load(file);
  }

  private recordBytes(): number {
    return 8 * this.D + 2 * this.N * this.D;
  }

  private load(file: string): void {
    const buf = readFileSync(file);
    const rec = this.recordBytes();
    let at = 0;
    while (at + 2 <= buf.length) {
      const len = buf.readUInt16LE(at);
      if (at + 2 + len + rec > buf.length) break; // a record cut by a kill: dropped, re-embedded
      const key = buf.toString("utf8", at + 2, at + 2 + len);
      at += 2 + len;
      const body = new Uint8Array(buf.buffer.slice(buf.byteOffset + at, buf.byteOffset + at + rec));
      at += rec;
      this.entries.set(key, {
        feat: new Float32Array(body.buffer, 0, this.D),
        xcls: new Float32Array(body.buffer, 4 * this.D, this.D),
        h: new Uint16Array(body.buffer, 8 * this.D, this.N * this.D),
      });
    }
  }

  get(key: string): TokenRecord | undefined {
    return this.entries.get(key);
  }

  get size(): number {
    return this.entries.size;
  }

  set(key: string, r: TokenRecord): void {
    this.entries.set(key, r);
    if (!this.file) return;
    const k = Buffer.from(key, "utf8");
    const head = Buffer.alloc(2);
    head.writeUInt16LE(k.length);
    this.pending.push(head, k, Buffer.from(r.feat.buffer, r.feat.byteOffset, r.feat.byteLength), Buffer.from(r.xcls.buffer, r.xcls.byteOffset, r.xcls.byteLength), Buffer.from(r.h.buffer, r.h.byteOffset, r.h.byteLength));
  }

  /** Append what was added since the last flush. */
  flush(): void {
    if (!this.file || this.pending.length === 0) return;
    mkdirSync(path.dirname(this.file), { recursive: true });
    appendFileSync(this.file, Buffer.concat(this.pending));
    this.pending = [];
  }
}
