/**
 * A local stand-in for the third parties Cordon calls (Slack's webhooks and
 * Web API, a job's callback_url), started by vitest.config.ts in Node. It
 * records every request and answers by path:
 *   /ok/...                 200 "ok"
 *   /api/chat.postMessage   200 {"ok":true,"channel":"C0CORDON","ts":"…"}
 *   /429-once/...           429 with Retry-After: 1 the first time, then 200
 *   /500-twice/...          500 twice, then 200
 *   /always-500/...         500
 *   /gone/...               404
 * Tests read what arrived with GET /__requests?prefix=/ok/x (a JSON array).
 */
import { createServer, type IncomingMessage, type Server } from "node:http";

export interface Recorded {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  at: number;
}

export async function startStandIn(): Promise<{ url: string; server: Server }> {
  const seen: Recorded[] = [];
  const hits = new Map<string, number>();
  const server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? "/", "http://x");
    if (url.pathname === "/__requests") {
      const prefix = url.searchParams.get("prefix") ?? "/";
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(seen.filter((r) => r.path.startsWith(prefix))));
      return;
    }
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
    seen.push({ method: req.method ?? "", path: url.pathname, headers, body: Buffer.concat(chunks).toString("utf8"), at: Date.now() });
    const n = (hits.get(url.pathname) ?? 0) + 1;
    hits.set(url.pathname, n);
    const send = (status: number, body: string, extra: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": body.startsWith("{") ? "application/json" : "text/plain", ...extra });
      res.end(body);
    };
    if (url.pathname === "/api/chat.postMessage")
      return send(200, JSON.stringify({ ok: true, channel: "C0CORDON", ts: `${Date.now() / 1000}` }));
    if (url.pathname.startsWith("/ok/")) return send(200, "ok");
    if (url.pathname.startsWith("/429-once/")) return n === 1 ? send(429, "slow down", { "retry-after": "1" }) : send(200, "ok");
    if (url.pathname.startsWith("/500-twice/")) return n <= 2 ? send(500, "oops") : send(200, "ok");
    if (url.pathname.startsWith("/always-500/")) return send(500, "oops");
    if (url.pathname.startsWith("/gone/")) return send(404, "no_service");
    return send(404, "unknown stand-in path");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  server.unref();
  const addr = server.address();
  if (!addr || typeof addr === "string") throw new Error("stand-in server has no port");
  return { url: `http://127.0.0.1:${addr.port}`, server };
}
