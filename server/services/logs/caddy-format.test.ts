import { describe, expect, it } from "vitest";
import { formatCaddyLine } from "./caddy-format";

const access = (status: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    level: status >= 400 ? "error" : "info",
    ts: 1795850161.230331,
    logger: "http.log.access.pixelfox",
    msg: "handled request",
    request: {
      remote_ip: "10.213.77.1",
      proto: "HTTP/1.1",
      method: "GET",
      host: "10.213.77.11",
      uri: "/pxf-e2e-probe?x=1",
      headers: { A: ["b"] },
    },
    duration: 0.000479655,
    size: 21,
    status,
    ...extra,
  });

describe("formatCaddyLine", () => {
  it("shows method, uri, status and duration of an access entry", () => {
    const out = formatCaddyLine({ stream: "stdout", text: access(404) });
    expect(out.text).toBe("GET /pxf-e2e-probe?x=1 404 0.48 ms (host 10.213.77.11, from 10.213.77.1, 21 B)");
    expect(out.stream).toBe("stdout");
    expect(out.ts).toBe(new Date(1795850161230.331).toISOString());
  });

  it("puts status 500 and above in the error colour, not 4xx", () => {
    expect(formatCaddyLine({ stream: "stdout", text: access(502) }).stream).toBe("stderr");
    expect(formatCaddyLine({ stream: "stdout", text: access(499) }).stream).toBe("stdout");
  });

  it("formats seconds-long requests in seconds", () => {
    expect(formatCaddyLine({ stream: "stdout", text: access(200, { duration: 2.5 }) }).text).toMatch(
      /^GET \/pxf-e2e-probe\?x=1 200 2\.50 s /,
    );
  });

  it("shows Caddy's own entries as level, logger and message", () => {
    const text = JSON.stringify({ level: "info", ts: 1, logger: "admin.api", msg: "received request", method: "GET", uri: "/config/" });
    expect(formatCaddyLine({ stream: "stdout", text })).toMatchObject({
      stream: "stdout",
      text: "info admin.api: received request GET /config/",
    });
    expect(formatCaddyLine({ stream: "stdout", text: JSON.stringify({ level: "error", msg: "boom" }) })).toMatchObject({
      stream: "stderr",
      text: "error caddy: boom",
    });
  });

  it("leaves lines that are not Caddy JSON untouched", () => {
    for (const text of ["plain text", "{not json", "{}extra", "[1,2]", "null"])
      expect(formatCaddyLine({ stream: "stderr", text })).toEqual({ stream: "stderr", text });
    expect(formatCaddyLine({ stream: "stderr", text: "plain text" })).toEqual({ stream: "stderr", text: "plain text" });
    expect(formatCaddyLine({ stream: "stdout", text: "{not json" })).toEqual({ stream: "stdout", text: "{not json" });
  });
});
