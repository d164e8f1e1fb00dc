// Bundled by esbuild for the browser test: runs one forward case on navigator.gpu and compares it with the float64
// reference in the page.
import { adapterName, browserGpu } from "../../gpu/device.ts";
import { flashAttention, type AttentionShape } from "../index.ts";
import { attentionForward, relativeError } from "../reference.ts";
import { randomQKV } from "../test-utils.ts";

export interface BrowserCaseResult {
  adapter: string;
  relErrorO: number;
  relErrorLse: number;
}

async function runAttentionCase(s: AttentionShape): Promise<BrowserCaseResult> {
  const ctx = await browserGpu();
  try {
    const x = randomQKV(s);
    const out = await flashAttention(ctx, s, x, { withLse: true });
    const ref = attentionForward(x.q, x.k, x.v, s);
    return { adapter: adapterName(ctx.adapter), relErrorO: relativeError(out.o, ref.o), relErrorLse: relativeError(out.lse!, ref.lse) };
  } finally {
    ctx.destroy();
  }
}

(globalThis as unknown as { runAttentionCase: typeof runAttentionCase }).runAttentionCase = runAttentionCase;
