import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { probeOnce } from "@/server/services/deploy/health-gate";
import { checkExternal } from "./check-app";

const MARKER = "PRIVATE-SERVICE-ANSWER-7f3a";
const PLAIN = `${MARKER} secret=hunter2`; // 42 bytes
const PAGE = `<h1>${MARKER}</h1>`; // 36 bytes
let server: http.Server;
let port = 0;
let requests = 0;

beforeAll(async () => {
  // A private service on the loopback that a public domain was (mis)pointed at.
  server = http.createServer((req, res) => {
    requests++;
    if (req.url === "/down") return res.writeHead(503, { "content-type": "text/html; charset=utf-8" }).end(PAGE);
    if (req.url === "/odd") return res.writeHead(500, { "content-type": `text/${MARKER}; x=1` }).end(MARKER);
    res.writeHead(200, { "content-type": "text/plain" }).end(PLAIN);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => {
  vi.unstubAllEnvs();
  server.close();
});

describe("health checks never echo a response body", () => {
  it("an unhealthy public domain shows status, content type and length, not the content", async () => {
    const wrong = await checkExternal(`http://127.0.0.1:${port}`, "/api/v1/ping");
    expect(wrong.status).toBe("down");
    expect(wrong.reason).toBe(`http://127.0.0.1:${port}/api/v1/ping answered HTTP 200 (text/plain, 42 bytes), not {"ping":"pong"}`);
    const down = await checkExternal(`http://127.0.0.1:${port}`, "/down");
    expect(down.reason).toContain("answered HTTP 503 (text/html, 36 bytes)");
    const odd = await checkExternal(`http://127.0.0.1:${port}`, "/odd");
    expect(odd.reason).toContain("answered HTTP 500 (text/*, 27 bytes)");
    for (const r of [wrong, down, odd]) expect(JSON.stringify(r).toLowerCase()).not.toContain(MARKER.toLowerCase());
  });

  it("the deploy gate and smoke checks log no body either (viewers read job logs)", async () => {
    const p = await probeOnce(`http://127.0.0.1:${port}/api/v1/ping`, "/api/v1/ping", 1_000, 1);
    expect(p).toMatchObject({ ok: false, status: 200, error: 'answered HTTP 200 (text/plain, 42 bytes), not {"ping":"pong"}' });
    const d = await probeOnce(`http://127.0.0.1:${port}/down`, "/down", 1_000, 2);
    expect(d.error).toBe("answered HTTP 503 (text/html, 36 bytes)");
    expect(JSON.stringify([p, d]).toLowerCase()).not.toContain(MARKER.toLowerCase());
  });

  it("a public domain that is the panel itself is refused without a request", async () => {
    vi.stubEnv("PORT", String(port));
    const before = requests;
    const self = await checkExternal(`http://[::ffff:127.0.0.1]:${port}`, "/api/v1/ping");
    expect(self.status).toBe("down");
    expect(self.reason).toMatch(/failed: The public domain \[::ffff:7f00:1\]:\d+ points at this panel itself/);
    expect(requests).toBe(before);
    vi.unstubAllEnvs();
  });
});
