import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendWebhook } from "@/server/adapters/notify/webhook";
import { guardedFetch } from "./guarded-fetch";
import type { OutboundDeps, Resolver } from "./outbound-guard";
import { readPanelAddress } from "./panel-address";
import { probeGet } from "./probe-get";

/** A loopback HTTP server that counts what reaches it. */
async function startCounter(answer: (req: http.IncomingMessage, res: http.ServerResponse) => void = (_q, r) => r.end("ok")) {
  const seen: { method: string; url: string; body: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (body += c));
    req.on("end", () => {
      seen.push({ method: req.method ?? "", url: req.url ?? "", body });
      answer(req, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return { seen, port, close: () => new Promise<void>((r) => server.close(() => r())) };
}

let panel: Awaited<ReturnType<typeof startCounter>>;
let receiver: Awaited<ReturnType<typeof startCounter>>;
let deps: OutboundDeps;
/** Names for the test, answered without DNS; "rebind.test" is public when checked, loopback when connected. */
let rebindAnswers = 0;
const resolve: Resolver = async (host) => {
  if (host === "receiver.test" || host === "panel.test") return [{ address: "127.0.0.1", family: 4 }];
  if (host === "rebind.test") return [{ address: rebindAnswers++ === 0 ? "93.184.215.14" : "127.0.0.1", family: 4 }];
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" });
};

beforeAll(async () => {
  panel = await startCounter();
  receiver = await startCounter((req, res) => {
    if (req.url === "/moved") return res.writeHead(302, { location: `http://127.0.0.1:${panel.port}/` }).end();
    if (req.url === "/empty") return res.writeHead(204).end();
    if (req.url === "/slow") return setTimeout(() => res.end("late"), 1_000);
    if (req.url === "/slow-body") {
      res.writeHead(200, { "content-type": "text/plain" }).write("first");
      return setTimeout(() => res.end("rest"), 1_000);
    }
    res.writeHead(200, { "content-type": "application/json", "x-two": "a" }).end('{"ok":true}');
  });
  // "The panel" listens on panel.port, on every address of this machine: the real interfaces.
  deps = { resolve, panel: readPanelAddress({ PORT: String(panel.port) }) };
});
afterAll(async () => {
  await panel.close();
  await receiver.close();
});

describe("a webhook never reaches the panel itself", () => {
  it("control: without the guard, [::ffff:127.0.0.1] reaches the panel's port", async () => {
    const before = panel.seen.length;
    await (await fetch(`http://[::ffff:127.0.0.1]:${panel.port}/`)).text();
    expect(panel.seen.length).toBe(before + 1);
  });

  it.each(["http://[::ffff:127.0.0.1]:PORT/hook", "http://localhost.:PORT/hook", "http://2130706433:PORT/", "http://panel.test:PORT/"])(
    "%s is refused naming the field, and nothing arrives",
    async (template) => {
      const before = panel.seen.length;
      await expect(sendWebhook(template.replace("PORT", String(panel.port)), "alert", 2_000, deps)).rejects.toMatchObject({
        code: "BAD_REQUEST",
        data: { field: "url", rule: "panel-itself" },
      });
      expect(panel.seen.length).toBe(before);
    },
  );

  it("DNS rebinding (public when checked, the panel when connecting) is refused at connect time", async () => {
    rebindAnswers = 0;
    const before = panel.seen.length;
    await expect(sendWebhook(`http://rebind.test:${panel.port}/`, "alert", 2_000, deps)).rejects.toMatchObject({
      data: { rule: "panel-itself" },
      message: expect.stringContaining("rebind.test resolves to 127.0.0.1") as unknown,
    });
    expect(rebindAnswers).toBe(2);
    expect(panel.seen.length).toBe(before);
  });

  it("a webhook to another loopback service arrives, by address or by a name that resolves there", async () => {
    await sendWebhook(`http://127.0.0.1:${receiver.port}/hook`, "one", 2_000, deps);
    await sendWebhook(`http://receiver.test:${receiver.port}/hook`, "two", 2_000, deps);
    expect(receiver.seen.filter((s) => s.url === "/hook").map((s) => JSON.parse(s.body) as unknown)).toEqual([
      { text: "one" },
      { text: "two" },
    ]);
  });

  it("a redirect towards the panel is not followed", async () => {
    const before = panel.seen.length;
    await expect(sendWebhook(`http://127.0.0.1:${receiver.port}/moved`, "x", 2_000, deps)).rejects.toThrow(/answered HTTP 302/);
    expect(panel.seen.length).toBe(before);
  });
});

describe("guardedFetch", () => {
  const purpose = { field: "registryUrl", label: "registry URL" };
  it("answers like fetch: status, headers, body; no body for HEAD and 204", async () => {
    const res = await guardedFetch(`http://receiver.test:${receiver.port}/x`, { method: "GET", headers: { accept: "*/*" } }, purpose, deps);
    expect(res.status).toBe(200);
    expect(res.headers.get("x-two")).toBe("a");
    expect(await res.json()).toEqual({ ok: true });
    expect((await guardedFetch(`http://127.0.0.1:${receiver.port}/empty`, { method: "GET" }, purpose, deps)).status).toBe(204);
    expect(await (await guardedFetch(`http://127.0.0.1:${receiver.port}/x`, { method: "HEAD" }, purpose, deps)).text()).toBe("");
  });

  it("times out with fetch's TimeoutError, before the headers and while reading the body", async () => {
    const slow = guardedFetch(`http://127.0.0.1:${receiver.port}/slow`, { method: "GET", signal: AbortSignal.timeout(100) }, purpose, deps);
    await expect(slow).rejects.toMatchObject({ name: "TimeoutError" });
    const res = await guardedFetch(
      `http://127.0.0.1:${receiver.port}/slow-body`,
      { method: "GET", signal: AbortSignal.timeout(200) },
      purpose,
      deps,
    );
    await expect(res.text()).rejects.toMatchObject({ name: "TimeoutError" });
  });

  it("fails like fetch on a socket error (cause.code)", async () => {
    const closed = await startCounter();
    await closed.close();
    await expect(guardedFetch(`http://127.0.0.1:${closed.port}/`, { method: "GET" }, purpose, deps)).rejects.toMatchObject({
      message: "fetch failed",
      cause: { code: "ECONNREFUSED" },
    });
  });
});

describe("probeGet with the guard (the public domain)", () => {
  const guard = () => ({ purpose: { field: "publicDomain", label: "public domain" }, deps });
  it("refuses the panel by address and by name; probes another loopback service", async () => {
    const before = panel.seen.length;
    await expect(
      probeGet(`http://[::ffff:127.0.0.1]:${panel.port}/`, { timeoutMs: 1_000, userAgent: "t", guard: guard() }),
    ).rejects.toMatchObject({
      data: { field: "publicDomain" },
    });
    await expect(probeGet(`http://panel.test:${panel.port}/`, { timeoutMs: 1_000, userAgent: "t", guard: guard() })).rejects.toMatchObject({
      data: { field: "publicDomain" },
    });
    expect(panel.seen.length).toBe(before);
    const ok = await probeGet(`http://receiver.test:${receiver.port}/`, { timeoutMs: 1_000, userAgent: "t", guard: guard() });
    expect(ok).toMatchObject({ status: 200, contentType: "application/json", length: 11 });
  });
});
