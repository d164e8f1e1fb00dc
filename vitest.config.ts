import { defineConfig } from "vitest/config";
import path from "node:path";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", ".next/**", "var/**", "tests/e2e/**"],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // GPU (SwiftShader) and database tests are heavy on a 2-core machine.
    fileParallelism: false,
    env: { VK_ICD_FILENAMES: process.env.VK_ICD_FILENAMES ?? "/usr/lib/chromium/vk_swiftshader_icd.json" },
  },
});
