import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpRequest } from "./http-request";
import { probeFailure } from "./probe-get";

let server: http.Server;
let base = "";
const sockets = new Set<unknown>();
let lastBody = "";

beforeAll(async () => {
  server = http.createServer((req, res) => {
    sockets.add(req.socket);
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      lastBody = Buffer.concat(chunks).toString("utf8");
      if (req.url === "/login")
        return res.writeHead(200, { "set-cookie": ["a=1; Path=/", "b=2; Path=/"], "content-type": "application/json" }).end("{}");
      if (req.url === "/moved") return res.writeHead(302, { location: "/login" }).end();
      if (req.url === "/big") return res.end("x".repeat(200_000));
      if (req.url === "/empty") return res.writeHead(204).end();
      if (req.url === "/stall") {
        res.writeHead(200, { "content-length": "100" });
        return res.write("half");
      }
      res.writeHead(404).end("nope");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe("httpRequest", () => {
  it("sends the body, returns repeated Set-Cookie headers as an array, and uses a fresh connection each time", async () => {
    sockets.clear();
    const res = await httpRequest({ method: "POST", url: `${base}/login`, body: Buffer.from('{"a":1}'), timeoutMs: 1_000 });
    expect(lastBody).toBe('{"a":1}');
    expect(res.headers["set-cookie"]).toEqual(["a=1; Path=/", "b=2; Path=/"]);
    await httpRequest({ method: "GET", url: `${base}/login`, timeoutMs: 1_000 });
    expect(sockets.size).toBe(2);
  });

  it("never follows a redirect; HEAD and 204 answer without a body", async () => {
    const moved = await httpRequest({ method: "POST", url: `${base}/moved`, timeoutMs: 1_000 });
    expect([moved.status, moved.headers.location]).toEqual([302, "/login"]);
    const head = await httpRequest({ method: "HEAD", url: `${base}/empty`, timeoutMs: 1_000 });
    expect([head.status, head.body.length]).toEqual([204, 0]);
  });

  it("keeps only the first bytes of a big body and says it cut it", async () => {
    const res = await httpRequest({ method: "GET", url: `${base}/big`, timeoutMs: 1_000, maxBodyBytes: 64 });
    expect([res.body.length, res.truncated]).toEqual([64, true]);
  });

  it("a body that stops halfway is a timeout, not a short answer", async () => {
    await expect(httpRequest({ method: "GET", url: `${base}/stall`, timeoutMs: 200 }).catch(probeFailure)).resolves.toBe(
      "no answer within 200 ms",
    );
  });
});
