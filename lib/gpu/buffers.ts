// Buffer allocation (f32 and u32 data) with 4-byte alignment, byte accounting (for the benchmark), upload and staging read-back.

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

  /** A storage buffer filled with `data`. */
  upload(data: Float32Array | Uint32Array, label: string): GPUBuffer {
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
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

/** Reads `count` f32 elements back. */
export async function readFloats(device: GPUDevice, buffer: GPUBuffer, count: number): Promise<Float32Array> {
  return new Float32Array(await readBytes(device, buffer, count * 4));
}

/** Fills a buffer with a recognisable garbage value (NaN) so a kernel that skips an element cannot pass a test. */
export function poison(device: GPUDevice, buffer: GPUBuffer): void {
  const words = new Uint32Array(buffer.size / 4).fill(0x7fc00bad);
  device.queue.writeBuffer(buffer, 0, words);
}
