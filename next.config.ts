import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Native or wasm-heavy server packages stay outside the server bundle.
  serverExternalPackages: ["sharp", "onnxruntime-node", "@prisma/adapter-libsql", "@libsql/client", "@prisma/adapter-pg", "pg"],
  poweredByHeader: false,
  // unauthorized() and forbidden() answer 401 and 403 with app/unauthorized.tsx and app/forbidden.tsx (review pages).
  experimental: { authInterrupts: true },
  // Type checking runs once for the whole repo in `npm run typecheck` (part of the test command).
  typescript: { ignoreBuildErrors: true },
  async headers() {
    return [
      {
        // Cross-origin isolation lets onnxruntime-web use threads (SharedArrayBuffer).
        source: "/:path*",
        headers: [
          { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
          { key: "Cross-Origin-Embedder-Policy", value: "require-corp" },
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
        ],
      },
    ];
  },
};

export default nextConfig;
