import { describe, expect, it } from "vitest";
import { pixelsToNchw, resizeCropPlan } from "./preprocess.ts";

const S = { imageSize: 224, resizeSize: 248 };

describe("preprocessing (pure part)", () => {
  it("plans the resize and centre crop like torchvision", () => {
    // 500x375 landscape: short side 375 -> 248, long side int(248*500/375) = 330; crop left round(53) = 53.
    expect(resizeCropPlan(500, 375, S)).toEqual({ resizedWidth: 330, resizedHeight: 248, left: 53, top: 12, size: 224 });
    // Portrait 333x500: 248 x int(372.37) = 372; top (372-224)/2 = 74.
    expect(resizeCropPlan(333, 500, S)).toEqual({ resizedWidth: 248, resizedHeight: 372, left: 12, top: 74, size: 224 });
    // Odd margin: (249-224)/2 = 12.5 rounds half to even -> 12.
    expect(resizeCropPlan(249 * 2, 248 * 2, S).left).toBe(12);
    expect(() => resizeCropPlan(0, 10, S)).toThrow();
  });

  it("normalises interleaved RGBA/RGB to NCHW with per-channel mean and std", () => {
    const rgba = new Uint8Array([0, 255, 51, 9]); // 1x1, alpha ignored
    const one = pixelsToNchw(rgba, 1, 4, { mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] });
    expect(one[0]).toBeCloseTo(-1, 6);
    expect(one[1]).toBeCloseTo(1, 6);
    expect(one[2]).toBeCloseTo((51 / 255) * 2 - 1, 6);
    const rgb = new Uint8Array([10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120]); // 2x2
    const out = pixelsToNchw(rgb, 2, 3, { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] });
    expect(out[0]).toBeCloseTo((10 / 255 - 0.485) / 0.229, 5); // R of pixel 0
    expect(out[4 + 1]).toBeCloseTo((50 / 255 - 0.456) / 0.224, 5); // G of pixel 1
    expect(out[8 + 3]).toBeCloseTo((120 / 255 - 0.406) / 0.225, 5); // B of pixel 3
    expect(() => pixelsToNchw(rgb, 3, 3, { mean: [0, 0, 0], std: [1, 1, 1] })).toThrow(/expected 27 bytes/);
  });
});
