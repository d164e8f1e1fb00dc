// The site's HTTP server: Next.js in this process, behind one step that decides which address each request
// comes from (the TCP peer, or the entry a trusted proxy recorded) and hands it to the route handlers in a header
// only this process can set. Started by `npm start` (built to dist/server.mjs by `npm run build`).
import http from "node:http";
import next from "next";
import { settings } from "./lib/settings";
import { CLIENT_ADDRESS_HEADER, CLIENT_TOKEN_HEADER, clientAddress, clientToken } from "./lib/http/client-address";

const s = settings();
const app = next({ dev: false, dir: process.cwd(), hostname: s.host, port: s.port });
const handle = app.getRequestHandler();
await app.prepare();
const token = clientToken();

const server = http.createServer((req, res) => {
  const xff = req.headers["x-forwarded-for"];
  const addr = clientAddress(Array.isArray(xff) ? xff.join(",") : xff, req.socket.remoteAddress, s.trustedProxies);
  req.headers[CLIENT_ADDRESS_HEADER] = addr;
  req.headers[CLIENT_TOKEN_HEADER] = token;
  req.headers["x-forwarded-for"] = addr;
  delete req.headers["x-real-ip"];
  handle(req, res).catch((e: unknown) => {
    console.error(e);
    if (!res.headersSent) res.writeHead(500).end("Internal server error");
  });
});
server.listen(s.port, s.host, () => console.log(`Mushroom ID listening on http://${s.host === "0.0.0.0" ? "localhost" : s.host}:${s.port}`));
for (const sig of ["SIGTERM", "SIGINT"] as const) process.on(sig, () => server.close(() => process.exit(0)));
