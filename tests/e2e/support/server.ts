// Starts the production server (built beforehand by `next build`) as a child process and waits for it.
import { spawn } from "node:child_process";
import net from "node:net";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "../../..");

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

export type RunningServer = { baseUrl: string; stop: () => Promise<void> };

export async function startServer(env: Record<string, string>): Promise<RunningServer> {
  const port = await freePort();
  let output = "";
  // The site's own server (server.ts, built to dist/server.mjs): the rate limits depend on its client address.
  const child = spawn(process.execPath, [path.join(ROOT, "dist/server.mjs")], {
    cwd: ROOT,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", PORT: String(port), HOST: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null) return;
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}:\n${output}`);
    if (await fetch(baseUrl + "/species").then((r) => r.ok, () => false)) return { baseUrl, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the server did not answer at ${baseUrl} within 60 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
