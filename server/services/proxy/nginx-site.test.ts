import { describe, expect, it } from "vitest";
import { convertSite, readSite } from "./nginx-site";
import { formatUpstreamFile, parseUpstreamFile } from "./nginx-upstream-file";
import { PLAN_NGINX_SITE } from "./testing/nginx-sites";

const layout = { upstreamName: "pixelfox_upstream", upstreamPath: "/etc/nginx/pixelfox-upstream.conf" };

describe("putting the plan's Nginx site behind the upstream file", () => {
  it("adds the include at the top and points only the app's proxy_pass at the upstream; the redirect server and headers stay", () => {
    const { text, changes } = convertSite(PLAN_NGINX_SITE, "127.0.0.1:4000", layout);
    expect(text).toBe(
      "# PixelFox Ops: the app's upstream, switched by the panel on each deploy.\ninclude /etc/nginx/pixelfox-upstream.conf;\n\n" +
        PLAN_NGINX_SITE.replace("proxy_pass http://127.0.0.1:4000;", "proxy_pass http://pixelfox_upstream;"),
    );
    expect(text).toContain("location / { return 301 https://$host$request_uri; }");
    expect(text).toContain("proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;");
    expect(changes).toEqual([
      "top of the site: include /etc/nginx/pixelfox-upstream.conf;",
      "line 16: proxy_pass http://127.0.0.1:4000 → http://pixelfox_upstream",
    ]);
    expect(text.split("\n")[15]).toContain("proxy_pass http://pixelfox_upstream;");
  });

  it("reads the site before and after: direct address, then the upstream by name and the include", () => {
    expect(readSite(PLAN_NGINX_SITE, layout)).toEqual({
      isIncluded: false,
      upstreamLines: [],
      direct: [{ line: 13, dial: "127.0.0.1:4000" }],
      setsHost: true,
    });
    const converted = convertSite(PLAN_NGINX_SITE, "127.0.0.1:4000", layout).text;
    expect(readSite(converted, layout)).toEqual({ isIncluded: true, upstreamLines: [16], direct: [], setsHost: true });
    expect(convertSite(converted, "127.0.0.1:4000", layout)).toEqual({ text: converted, changes: [] });
  });

  it("keeps a proxy_pass URI part and leaves other addresses, comments and quoted text alone", () => {
    const site = `server {\n  # proxy_pass http://127.0.0.1:4000;\n  location /api/ { proxy_pass http://127.0.0.1:4000/api/; }\n  location /s/ { proxy_pass "http://10.0.0.5:8080"; }\n  add_header X-Note "proxy_pass http://127.0.0.1:4000;";\n}\n`;
    const { text } = convertSite(site, "127.0.0.1:4000", layout);
    expect(text.slice(text.indexOf("server {"))).toBe(site.replace("http://127.0.0.1:4000/api/;", "http://pixelfox_upstream/api/;"));
  });
});

describe("the upstream file", () => {
  it("round-trips its servers in order", () => {
    const text = formatUpstreamFile("pixelfox_upstream", ["127.0.0.1:4000", "127.0.0.1:4001"]);
    expect(text).toContain("upstream pixelfox_upstream {\n    server 127.0.0.1:4000;\n    server 127.0.0.1:4001;\n}\n");
    expect(parseUpstreamFile(text, "pixelfox_upstream")).toEqual(["127.0.0.1:4000", "127.0.0.1:4001"]);
    expect(formatUpstreamFile("pixelfox_upstream", parseUpstreamFile(text, "pixelfox_upstream")!)).toBe(text);
  });

  it("reads an operator's edited file: parameters and other directives ignored, other upstreams not mixed in", () => {
    const text = `upstream other { server 10.0.0.9:80; }\n# note\nupstream pixelfox_upstream {\n  keepalive 16;\n  server 127.0.0.1:4001 max_fails=3 fail_timeout=10s;\n  server 127.0.0.1:4002 backup;\n}\n`;
    expect(parseUpstreamFile(text, "pixelfox_upstream")).toEqual(["127.0.0.1:4001", "127.0.0.1:4002"]);
    expect(parseUpstreamFile(text, "missing")).toBeNull();
  });
});
