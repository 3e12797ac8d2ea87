import { describe, expect, it } from "vitest";
import { findReverseProxyDirectives, rewriteCaddyfileUpstreams, toDial } from "./caddyfile-upstreams";
import { PLAN_CADDYFILE, TO_BLOCK_CADDYFILE, TWO_SITES_CADDYFILE } from "./testing/caddyfiles";

const A = "127.0.0.1:4000";
const B = "127.0.0.1:4001";

describe("finding reverse_proxy directives in a Caddyfile", () => {
  it("finds the plan's one directive, with its line, among header, log and redir blocks", () => {
    const line = PLAN_CADDYFILE.split("\n").findIndex((l) => l.includes("reverse_proxy")) + 1;
    expect(findReverseProxyDirectives(PLAN_CADDYFILE).map((d) => ({ line: d.line, dials: d.dials }))).toEqual([{ line, dials: [A] }]);
  });

  it("reads upstreams from `to` lines, skipping the matcher and other subdirectives", () => {
    expect(findReverseProxyDirectives(TO_BLOCK_CADDYFILE).map((d) => d.dials)).toEqual([[A, B]]);
    expect(findReverseProxyDirectives(TWO_SITES_CADDYFILE).map((d) => d.dials)).toEqual([[A], ["127.0.0.1:9000"]]);
  });

  it("ignores commented-out lines and the words inside quoted strings", () => {
    const text = `x.example {\n\t# reverse_proxy ${A}\n\trespond "reverse_proxy ${A}"\n\treverse_proxy ${B}\n}\n`;
    expect(findReverseProxyDirectives(text).map((d) => d.dials)).toEqual([[B]]);
  });

  it("turns upstream addresses into dials as Caddy does", () => {
    expect(toDial("127.0.0.1:4000")).toBe(A);
    expect(toDial("http://127.0.0.1:4000")).toBe(A);
    expect(toDial("h2c://app:4000")).toBe("app:4000");
    expect(toDial("https://app")).toBe("app:443");
    expect(toDial("app")).toBe("app:80");
    expect(toDial("{env.UPSTREAM}")).toBeNull();
    expect(toDial("unix//run/app.sock")).toBeNull();
  });
});

describe("rewriting the upstream of a Caddyfile", () => {
  it("changes only the address on the plan's reverse_proxy line: every other byte stays", () => {
    const { text, lines } = rewriteCaddyfileUpstreams(PLAN_CADDYFILE, [A], [B]);
    expect(text).toBe(PLAN_CADDYFILE.replace(`reverse_proxy ${A}`, `reverse_proxy ${B}`));
    expect(lines).toEqual([findReverseProxyDirectives(PLAN_CADDYFILE)[0]?.line]);
  });

  it("writes several upstreams on the line, and back to one", () => {
    const two = rewriteCaddyfileUpstreams(PLAN_CADDYFILE, [A], [A, B]).text;
    expect(two).toContain(`  reverse_proxy ${A} ${B}\n  log {`);
    expect(rewriteCaddyfileUpstreams(two, [A, B], [B]).text).toBe(PLAN_CADDYFILE.replace(A, B));
  });

  it("of two sites, rewrites only the reverse_proxy whose upstreams are the old ones, keeping its comment and the tabs", () => {
    const { text, lines } = rewriteCaddyfileUpstreams(TWO_SITES_CADDYFILE, [A], [B]);
    expect(text).toBe(TWO_SITES_CADDYFILE.replace(`\treverse_proxy ${A} # the app`, `\treverse_proxy ${B} # the app`));
    expect(text).toContain("reverse_proxy /api/* 127.0.0.1:9000");
    expect(lines).toEqual([6]);
  });

  it("puts the new upstreams on the first `to` line and drops the other `to` lines of that block", () => {
    const { text } = rewriteCaddyfileUpstreams(TO_BLOCK_CADDYFILE, [A, B], ["127.0.0.1:4002"]);
    expect(text).toBe(`pixelfox.example {
\treverse_proxy /* {
\t\tto 127.0.0.1:4002
\t\tlb_policy first
\t\thealth_uri /api/v1/ping
\t\ttransport http {
\t\t\tdial_timeout 2s
\t\t}
\t}
}
`);
  });

  it("keeps an upstream's scheme", () => {
    const text = `x.example {\n\treverse_proxy http://${A} {\n\t\tflush_interval -1\n\t}\n}\n`;
    expect(rewriteCaddyfileUpstreams(text, [A], [B]).text).toBe(text.replace(`http://${A}`, `http://${B}`));
  });

  it("changes nothing when no directive has exactly the old upstreams (a subset is not enough)", () => {
    expect(rewriteCaddyfileUpstreams(TO_BLOCK_CADDYFILE, [A], [B])).toEqual({ text: TO_BLOCK_CADDYFILE, lines: [] });
    expect(rewriteCaddyfileUpstreams(TWO_SITES_CADDYFILE, ["127.0.0.1:4005"], [B]).text).toBe(TWO_SITES_CADDYFILE);
  });
});
