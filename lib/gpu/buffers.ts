// Buffer allocation with 4-byte alignment, byte accounting (for the benchmark), upload and staging read-back.

export type DType = "f32" | "f16";

export const bytesPerElement = (t: DType): number => (t === "f32" ? 4 : 2);

/** WebGPU buffer sizes and copy sizes must be multiples of 4 bytes. */
export const align4 = (bytes: number): number => Math.max(4, Math.ceil(bytes / 4) * 4);

export class GpuAllocator {
  private live = new Map<GPUBuffer, number>();
  /** Bytes held by live buffers made through this allocator. */
  bytesLive = 0;
  /** Most bytes held at once since the last resetPeak(). */
  bytesPeak = 0;

  constructor(private readonly device: GPUDevice) {}

  create(size: number, usage: GPUBufferUsageFlags, label: string, mappedAtCreation = false): GPUBuffer {
    const bytes = align4(size);
    if (bytes > this.device.limits.maxBufferSize) {
      throw new Error(`${label}: ${bytes} bytes exceed the device's maxBufferSize ${this.device.limits.maxBufferSize}`);
    }
    const buffer = this.device.createBuffer({ size: bytes, usage, label, mappedAtCreation });
    this.live.set(buffer, bytes);
    this.bytesLive += bytes;
    this.bytesPeak = Math.max(this.bytesPeak, this.bytesLive);
    return buffer;
  }

  /** A storage buffer usable as kernel input/output and as a copy source/destination. */
  storage(size: number, label: string): GPUBuffer {
    return this.create(size, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST, label);
  }

  /** A storage buffer filled with `data` (f32 data is converted when dtype is f16). */
  upload(data: Float32Array | Uint32Array, label: string, dtype: DType = "f32"): GPUBuffer {
    const bytes = data instanceof Float32Array && dtype === "f16" ? f32ToF16Bytes(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    const buffer = this.create(bytes.byteLength, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST, label, true);
    new Uint8Array(buffer.getMappedRange()).set(bytes);
    buffer.unmap();
    return buffer;
  }

  release(buffer: GPUBuffer): void {
    const bytes = this.live.get(buffer);
    if (bytes !== undefined) {
      this.live.delete(buffer);
      this.bytesLive -= bytes;
    }
    buffer.destroy();
  }

  resetPeak(): void {
    this.bytesPeak = this.bytesLive;
  }

  destroyAll(): void {
    for (const b of [...this.live.keys()]) this.release(b);
  }
}

/** Copies `byteLength` bytes of `buffer` back to the CPU through a staging buffer. */
export async function readBytes(device: GPUDevice, buffer: GPUBuffer, byteLength = buffer.size, offset = 0): Promise<ArrayBuffer> {
  const size = align4(byteLength);
  const staging = device.createBuffer({ size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST, label: "staging read-back" });
  const enc = device.createCommandEncoder({ label: "read-back" });
  enc.copyBufferToBuffer(buffer, offset, staging, 0, size);
  device.queue.submit([enc.finish()]);
  await staging.mapAsync(GPUMapMode.READ);
  const out = staging.getMappedRange().slice(0, byteLength);
  staging.unmap();
  staging.destroy();
  return out;
}

/** Reads `count` elements of dtype back as float32. */
export async function readFloats(device: GPUDevice, buffer: GPUBuffer, count: number, dtype: DType = "f32"): Promise<Float32Array> {
  const bytes = await readBytes(device, buffer, count * bytesPerElement(dtype));
  return dtype === "f32" ? new Float32Array(bytes) : f16BytesToF32(new Uint16Array(bytes));
}

/** Fills a buffer with a recognisable garbage value (NaN) so a kernel that skips an element cannot pass a test. */
export function poison(device: GPUDevice, buffer: GPUBuffer): void {
  const words = new Uint32Array(buffer.size / 4).fill(0x7fc00bad);
  device.queue.writeBuffer(buffer, 0, words);
}

// --- f16 conversion (Float16Array is not in Node 20) ---
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

export function f32ToF16Bits(x: number): number {
  f32[0] = x;
  const b = u32[0];
  const sign = (b >>> 16) & 0x8000;
  const exp = (b >>> 23) & 0xff;
  let mant = b & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rem > mid || (rem === mid && half & 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && half & 1)) half++;
  return sign | half;
}

export function f16BitsToF32(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const e = (h >>> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return sign * m * 2 ** -24;
  if (e === 0x1f) return m ? NaN : sign * Infinity;
  return sign * (1 + m / 1024) * 2 ** (e - 15);
}

function f32ToF16Bytes(data: Float32Array): Uint8Array {
  const out = new Uint16Array(data.length + (data.length & 1));
  for (let i = 0; i < data.length; i++) out[i] = f32ToF16Bits(data[i]);
  return new Uint8Array(out.buffer);
}

function f16BytesToF32(h: Uint16Array): Float32Array {
  const out = new Float32Array(h.length);
  for (let i = 0; i < h.length; i++) out[i] = f16BitsToF32(h[i]);
  return out;
}
