// Records dispatches once and replays them: a stand-in GPUCommandEncoder captures what a kernel's encode function
// (lib/gpu encodeProgram, lib/attention encodeFlashForward) sets up — pipeline, bind group, workgroup counts — so the
// engine builds bind groups once per batch size and each image costs one compute pass in one command buffer.
export type RecordedDispatch = { label: string; pipeline: GPUComputePipeline; bindGroup: GPUBindGroup; workgroups: [number, number, number] };

class PassRecorder {
  private pipeline?: GPUComputePipeline;
  private bindGroup?: GPUBindGroup;
  constructor(
    private readonly label: string,
    private readonly out: RecordedDispatch[],
  ) {}
  setPipeline(p: GPUComputePipeline): void {
    this.pipeline = p;
  }
  setBindGroup(index: number, g: GPUBindGroup | null): void {
    if (index !== 0 || !g) throw new Error(`${this.label}: only bind group 0 can be recorded`);
    this.bindGroup = g;
  }
  dispatchWorkgroups(x: number, y = 1, z = 1): void {
    if (!this.pipeline || !this.bindGroup) throw new Error(`${this.label}: dispatch before pipeline and bind group`);
    this.out.push({ label: this.label, pipeline: this.pipeline, bindGroup: this.bindGroup, workgroups: [x, y, z] });
  }
  end(): void {}
}

/** An object to pass where an encode function expects a GPUCommandEncoder; only compute passes are supported. */
export function recordingEncoder(out: RecordedDispatch[]): GPUCommandEncoder {
  const rec = {
    beginComputePass(desc?: GPUComputePassDescriptor) {
      return new PassRecorder(desc?.label ?? "pass", out);
    },
  };
  return new Proxy(rec, {
    get(target, prop) {
      if (prop in target) return target[prop as keyof typeof target];
      throw new Error(`recordingEncoder: ${String(prop)} is not supported (only compute dispatches can be recorded)`);
    },
  }) as unknown as GPUCommandEncoder;
}

/**
 * Replays recorded dispatches in one compute pass (WebGPU orders storage writes between dispatches of a pass);
 * timestampWrites records the pass's GPU start and end (timestamp-query).
 */
export function replay(encoder: GPUCommandEncoder, list: RecordedDispatch[], label = "vit forward", timestampWrites?: GPUComputePassTimestampWrites): void {
  const pass = encoder.beginComputePass(timestampWrites ? { label, timestampWrites } : { label });
  for (const d of list) {
    pass.setPipeline(d.pipeline);
    pass.setBindGroup(0, d.bindGroup);
    pass.dispatchWorkgroups(...d.workgroups);
  }
  pass.end();
}
