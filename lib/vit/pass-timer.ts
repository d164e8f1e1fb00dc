// GPU time of one compute pass with timestamp-query (begin and end of the pass written by the GPU, resolved and copied
// into the caller's read-back buffer), so a benchmark can split GPU time from submit, mapping and JavaScript overhead.
import type { GpuContext } from "../gpu/device.ts";

const QUERY_RESOLVE = 0x200; // GPUBufferUsage.QUERY_RESOLVE, as a literal: no WebGPU globals needed at import
const COPY_SRC = 0x4;
/** Bytes the timer adds to a read-back buffer. */
export const TIMER_BYTES = 16;

export class PassTimer {
  private constructor(
    private readonly querySet: GPUQuerySet,
    private readonly resolved: GPUBuffer,
  ) {}

  static create(ctx: GpuContext, label: string): PassTimer {
    if (!ctx.hasTimestampQuery) {
      throw new Error(`${label}: GPU timing needs timestamp-query (create the context with timestampQuery: true on an adapter that offers it)`);
    }
    const querySet = ctx.device.createQuerySet({ type: "timestamp", count: 2, label: `${label} timestamps` });
    const resolved = ctx.device.createBuffer({ size: TIMER_BYTES, usage: QUERY_RESOLVE | COPY_SRC, label: `${label} resolved timestamps` });
    return new PassTimer(querySet, resolved);
  }

  /** For beginComputePass({ timestampWrites }). */
  get writes(): GPUComputePassTimestampWrites {
    return { querySet: this.querySet, beginningOfPassWriteIndex: 0, endOfPassWriteIndex: 1 };
  }

  /** After the pass: resolve both timestamps and copy them to `dst` at `byteOffset` (a multiple of 4). */
  resolve(encoder: GPUCommandEncoder, dst: GPUBuffer, byteOffset: number): void {
    encoder.resolveQuerySet(this.querySet, 0, 2, this.resolved, 0);
    encoder.copyBufferToBuffer(this.resolved, 0, dst, byteOffset, TIMER_BYTES);
  }

  /** Milliseconds between the two timestamps read back at `byteOffset` (nanosecond ticks, little-endian u64). */
  static ms(bytes: ArrayBuffer, byteOffset: number): number {
    const v = new DataView(bytes, byteOffset, TIMER_BYTES);
    return Number(v.getBigUint64(8, true) - v.getBigUint64(0, true)) / 1e6;
  }

  destroy(): void {
    this.querySet.destroy();
    this.resolved.destroy();
  }
}
