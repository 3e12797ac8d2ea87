import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseRecords } from "./testing/redaction-scan";

// The recorder in front of a stand-in panel: what passes through must be exactly what the panel sent,
// streams must not wait for their end, and the copy it keeps must hold the decoded /api/* bodies.

let upstream: http.Server;
let recorder: ChildProcess;
let base = "";
let outDir = "";
let releaseSecondEvent: () => void = () => {};
let upstreamSawAbort: Promise<void>;

function startUpstream(): Promise<number> {
  let sawAbort: () => void = () => {};
  upstreamSawAbort = new Promise((r) => (sawAbort = r));
  upstream = http.createServer((req, res) => {
    if (req.url === "/api/json") return void res.writeHead(200, { "content-type": "application/json" }).end('{"hello":"canary-json-1"}');
    if (req.url === "/api/gzip") {
      res.writeHead(200, { "content-type": "text/plain", "content-encoding": "gzip", "set-cookie": ["a=1", "b=2"] });
      return void res.end(zlib.gzipSync("canary-gzip-2"));
    }
    if (req.url === "/api/partial.gz") {
      // A Range answer of a gzip file: not a whole gzip stream.
      const gz = zlib.gzipSync(`canary-partial-5 ${"y".repeat(50_000)}`);
      return void res.writeHead(206, { "content-type": "application/gzip" }).end(gz.subarray(0, gz.length >> 1));
    }
    if (req.url === "/page") return void res.writeHead(200, { "content-type": "text/html" }).end("<p>canary-page-3</p>");
    if (req.url === "/api/events") {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write("data: first\n\n");
      releaseSecondEvent = () => res.end("data: second\n\n");
      return;
    }
    if (req.url === "/api/hang") {
      res.writeHead(200, { "content-type": "application/x-ndjson" });
      res.write('{"line":"canary-hang-4"}\n');
      res.on("close", () => sawAbort());
      return;
    }
    if (req.url === "/api/upload") {
      // As the panel does past a body limit: answer at once and close, the body unread.
      return void res.writeHead(413, { "content-type": "application/json", connection: "close" }).end('{"error":"too large"}');
    }
    if (req.url === "/api/echo") {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () =>
        res.writeHead(201, { "content-type": "text/plain" }).end(`host=${req.headers.host} body=${Buffer.concat(chunks).toString()}`),
      );
      return;
    }
    res.writeHead(404).end();
  });
  return new Promise((r) => upstream.listen(0, "127.0.0.1", () => r((upstream.address() as AddressInfo).port)));
}

function startRecorder(target: number): Promise<number> {
  recorder = spawn(
    process.execPath,
    ["scripts/e2e-recorder.mjs", "--listen", "127.0.0.1:0", "--target", `127.0.0.1:${target}`, "--out", outDir],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  return new Promise((resolve, reject) => {
    let err = "";
    recorder.stderr!.on("data", (c: Buffer) => {
      err += c.toString();
      const m = /listening on 127\.0\.0\.1:(\d+)/.exec(err);
      if (m) resolve(Number(m[1]));
    });
    recorder.on("exit", (code) => reject(new Error(`recorder exited ${code}: ${err}`)));
  });
}

/** The file as the scan reads it, once the recorder has written a record for each of `urls`. */
async function recorded(...urls: string[]) {
  const file = path.join(outDir, "api-bodies.rec");
  for (let i = 0; i < 100; i++) {
    const records = fs.existsSync(file) ? parseRecords(fs.readFileSync(file)).records : [];
    if (urls.every((u) => records.some((r) => r.url === u))) return records;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no record of ${urls.join(", ")}`);
}

beforeAll(async () => {
  outDir = fs.mkdtempSync(path.join(os.tmpdir(), "pxf-recorder-"));
  base = `http://127.0.0.1:${await startRecorder(await startUpstream())}`;
});

afterAll(() => {
  recorder?.kill();
  upstream?.close();
  fs.rmSync(outDir, { recursive: true, force: true });
});

describe("e2e recorder", () => {
  it("passes answers through unchanged (status, headers, encoded body) and keeps decoded /api copies only", async () => {
    const json = await fetch(`${base}/api/json`);
    expect([json.status, await json.text()]).toEqual([200, '{"hello":"canary-json-1"}']);
    const raw = await new Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }>((resolve) =>
      http.get(`${base}/api/gzip`, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      }),
    );
    expect(raw.headers["content-encoding"]).toBe("gzip");
    expect(raw.headers["set-cookie"]).toEqual(["a=1", "b=2"]);
    expect(zlib.gunzipSync(raw.body).toString()).toBe("canary-gzip-2");
    expect(await (await fetch(`${base}/page`)).text()).toBe("<p>canary-page-3</p>");
    const echo = await fetch(`${base}/api/echo`, { method: "POST", body: "payload" });
    expect([echo.status, await echo.text()]).toEqual([201, `host=${new URL(base).host} body=payload`]);

    const bodies = (await recorded("/api/json", "/api/gzip", "/api/echo")).map((r) => [r.url, r.body.toString()]);
    expect(bodies).toEqual(
      expect.arrayContaining([
        ["/api/json", '{"hello":"canary-json-1"}'],
        ["/api/gzip", "canary-gzip-2"],
      ]),
    );
    expect(bodies.some(([url]) => url === "/page")).toBe(false);
  });

  it("hands on a body it cannot decode unchanged, and records what it could decode, saying so", async () => {
    const res = await fetch(`${base}/api/partial.gz`);
    const body = Buffer.from(await res.arrayBuffer());
    const whole = zlib.gzipSync(`canary-partial-5 ${"y".repeat(50_000)}`);
    expect([res.status, body.equals(whole.subarray(0, whole.length >> 1))]).toEqual([206, true]);
    const record = (await recorded("/api/partial.gz")).find((r) => r.url === "/api/partial.gz");
    expect(record?.body.toString().startsWith("canary-partial-5")).toBe(true);
    expect(record?.note).toMatch(/decoding stopped/);
  });

  it("keeps the client's connection alive between requests, as the panel does", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const get = () =>
      new Promise<boolean>((resolve) => {
        const req = http.get(`${base}/api/json`, { agent }, (res) => res.resume().on("end", () => resolve(req.reusedSocket)));
      });
    expect([await get(), await get()]).toEqual([false, true]);
    agent.destroy();
  });

  it("delivers a stream's first event before the stream ends", async () => {
    const res = await fetch(`${base}/api/events`);
    const reader = res.body!.getReader();
    const first = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), 2000))]);
    expect(first && new TextDecoder().decode(first.value)).toBe("data: first\n\n");
    releaseSecondEvent();
    let rest = "";
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += new TextDecoder().decode(chunk.value);
    expect(rest).toBe("data: second\n\n");
  });

  it("aborts the panel's side when the client goes away, and records what came so far", async () => {
    const controller = new AbortController();
    const res = await fetch(`${base}/api/hang`, { signal: controller.signal });
    await res.body!.getReader().read();
    controller.abort();
    await upstreamSawAbort;
    const hang = (await recorded("/api/hang")).find((r) => r.url === "/api/hang");
    expect([hang?.body.toString(), hang?.note]).toEqual(['{"line":"canary-hang-4"}\n', "cut short"]);
  });

  it("hands on a 413 the panel sends while the client is still uploading", async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${base}/api/upload`, { method: "POST", headers: { "content-type": "application/json" } });
      req.on("response", (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", (err) => setTimeout(() => reject(err), 1000));
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      const pump = () => {
        while (sent < 4 * 1024 * 1024) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once("drain", pump);
        }
        req.end();
      };
      pump();
    });
    expect(status).toBe(413);
  });

  it("answers 502 naming the panel's address when the panel is down", async () => {
    const port = (upstream.address() as AddressInfo).port;
    const closed = new Promise<void>((r) => upstream.close(() => r()));
    upstream.closeAllConnections();
    await closed;
    const res = await fetch(`${base}/api/json`);
    expect(res.status).toBe(502);
    expect(await res.text()).toContain(`127.0.0.1:${port}`);
  });
});
