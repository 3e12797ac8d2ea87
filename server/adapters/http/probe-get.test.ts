import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { probeFailure, probeGet } from "./probe-get";

let server: http.Server;
let base = "";
const sockets = new Set<unknown>();

beforeAll(async () => {
  server = http.createServer((req, res) => {
    sockets.add(req.socket);
    if (req.url === "/ping")
      return res.writeHead(200, { "x-app-version": "v1.1.0", "content-type": "application/json" }).end('{"ping":"pong"}');
    if (req.url === "/big") return res.end("x".repeat(100_000));
    if (req.url === "/moved") return res.writeHead(302, { location: "/ping" }).end();
    if (req.url === "/slow") return setTimeout(() => res.end("late"), 2_000);
    res.writeHead(404).end("nope");
  });
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe("probeGet", () => {
  it("returns status, body and the app's version header", async () => {
    const res = await probeGet(`${base}/ping`, { timeoutMs: 1_000, userAgent: "t" });
    expect(res).toMatchObject({ status: 200, body: '{"ping":"pong"}', version: "v1.1.0" });
    expect(res.ms).toBeGreaterThanOrEqual(0);
  });

  it("opens a fresh connection for every probe (a pooled one may have been closed by a proxy reload)", async () => {
    sockets.clear();
    for (let i = 0; i < 3; i++) await probeGet(`${base}/ping`, { timeoutMs: 1_000, userAgent: "t" });
    expect(sockets.size).toBe(3);
  });

  it("keeps only the first bytes of a big body and does not follow redirects", async () => {
    expect((await probeGet(`${base}/big`, { timeoutMs: 1_000, userAgent: "t", maxBodyBytes: 100 })).body).toHaveLength(100);
    expect((await probeGet(`${base}/moved`, { timeoutMs: 1_000, userAgent: "t" })).status).toBe(302);
  });

  it("fails with a reason: timeout, refused, aborted", async () => {
    await expect(probeGet(`${base}/slow`, { timeoutMs: 100, userAgent: "t" }).catch(probeFailure)).resolves.toBe("no answer within 100 ms");
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    await expect(probeGet(`http://127.0.0.1:${port}/`, { timeoutMs: 1_000, userAgent: "t" }).catch(probeFailure)).resolves.toBe(
      "ECONNREFUSED",
    );
    const ac = new AbortController();
    const p = probeGet(`${base}/slow`, { timeoutMs: 1_000, userAgent: "t", signal: ac.signal }).catch(probeFailure);
    ac.abort();
    await expect(p).resolves.toBe("aborted");
  });
});
