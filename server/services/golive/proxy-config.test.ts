import { describe, expect, it } from "vitest";
import { assertValidDials } from "@/server/adapters/caddy";
import { parseUpstreamFile } from "@/server/services/proxy/nginx-upstream-file";
import { caddyfileFor, NGINX_UPSTREAM_NAME, nginxSiteFor, nginxUpstreamFor, siteHostOf } from "./proxy-config";

const field = { code: "BAD_REQUEST", data: { field: "publicDomain" } };

describe("siteHostOf (the host name written into proxy config)", () => {
  it("takes a DNS name (lowercased, IDN as punycode) or an IPv4 address", () => {
    expect(siteHostOf(new URL("https://PixelFox.cc/"))).toBe("pixelfox.cc");
    expect(siteHostOf(new URL("https://bücher.de"))).toBe("xn--bcher-kva.de");
    expect(siteHostOf(new URL("http://10.0.0.30:8080/x"))).toBe("10.0.0.30");
  });

  it.each(["a}b.cc", "a;b.cc", "a{b.cc", 'a"b.cc', "a'b.cc", "a$b.cc", "a*b.cc", "a_b.cc", "a,b.cc", "a%7db.cc", "[::1]", "-a.cc", "a..b"])(
    "refuses %s, naming publicDomain and the rule",
    (host) => {
      const url = new URL(`https://${host}/`);
      expect(() => siteHostOf(url)).toThrow(expect.objectContaining(field));
      expect(() => siteHostOf(url)).toThrow(
        /^publicDomain: the proxy can serve only a DNS name or an IPv4 address.*letters, digits, '-' and '\.'/,
      );
    },
  );

  it("spaces, tabs and newlines never get that far: URL refuses them", () => {
    for (const bad of ["https://a b/", "https://a%20b/", "https://a%0ab/", "https://a%09b/"]) expect(() => new URL(bad)).toThrow();
  });

  it("every writer goes through it", () => {
    const url = new URL("https://pixelfox.cc}evil{/");
    expect(() => caddyfileFor(url, ["127.0.0.1:4000"])).toThrow(expect.objectContaining(field));
    expect(() => nginxSiteFor(url)).toThrow(expect.objectContaining(field));
  });
});

describe("upstream addresses", () => {
  const INJECTIONS = [
    "127.0.0.1:4000; evil",
    "127.0.0.1:4000\n}",
    "127.0.0.1:4000 {",
    "{http.request.host}:4000",
    "unix//run/app.sock",
    "tcp/127.0.0.1:4000",
    "127.0.0.1",
    "127.0.0.1:0",
    "127.0.0.1:65536",
    "300.0.0.1:4000",
    "http://127.0.0.1:4000",
    "",
  ];

  it.each(INJECTIONS)("assertValidDials refuses %j", (dial) => {
    expect(() => assertValidDials([dial])).toThrow(expect.objectContaining({ code: "BAD_REQUEST" }));
  });

  it.each(INJECTIONS)("the Caddyfile and the Nginx upstream refuse %j and write nothing", (dial) => {
    expect(() => caddyfileFor(new URL("https://pixelfox.cc"), ["127.0.0.1:4000", dial])).toThrow(/An upstream must be host:port/);
    expect(() => nginxUpstreamFor([dial])).toThrow(/An upstream must be host:port/);
  });

  it("assertValidDials also refuses none, duplicates and non-strings", () => {
    expect(() => assertValidDials([])).toThrow(/at least one upstream/);
    expect(() => assertValidDials(["127.0.0.1:4000", "127.0.0.1:4000"])).toThrow(/duplicates/);
    expect(() => assertValidDials([4000])).toThrow(/number is not a valid upstream address/);
    expect(() => assertValidDials(["127.0.0.1:4000", "app-2.internal:4001"])).not.toThrow();
  });

  it("the Nginx upstream file lists exactly the dials, read back by the driver's parser", () => {
    const text = nginxUpstreamFor(["127.0.0.1:4000", "10.0.0.31:4000"]);
    expect(parseUpstreamFile(text, NGINX_UPSTREAM_NAME)).toEqual(["127.0.0.1:4000", "10.0.0.31:4000"]);
  });
});

describe("the Caddyfile text", () => {
  it("https name: admin on loopback, email, www redirect, HSTS, reverse_proxy to every dial", () => {
    const text = caddyfileFor(new URL("https://pixelfox.cc"), ["127.0.0.1:4000", "10.0.0.31:4000"], "ops@pixelfox.cc");
    expect(text.startsWith("{\n\tadmin 127.0.0.1:2019\n\temail ops@pixelfox.cc\n}\n")).toBe(true);
    expect(text).toContain("www.pixelfox.cc {\n\tredir https://pixelfox.cc{uri} permanent\n}");
    expect(text).toContain('Strict-Transport-Security "max-age=31536000; includeSubDomains"');
    expect(text).toContain("\treverse_proxy 127.0.0.1:4000 10.0.0.31:4000\n");
  });

  it("plain http: no HSTS, http:// site addresses; an IPv4 site gets no www redirect; no email line without one", () => {
    const text = caddyfileFor(new URL("http://10.0.0.30/"), ["127.0.0.1:4000"]);
    expect(text).not.toContain("Strict-Transport-Security");
    expect(text).not.toContain("www.");
    expect(text).not.toContain("email");
    expect(text).toContain("http://10.0.0.30 {\n");
    expect(caddyfileFor(new URL("http://www.pixelfox.test/"), ["127.0.0.1:4000"])).not.toContain("www.www.");
  });
});

describe("the Nginx site text", () => {
  it("includes the upstream file, serves the name and its www., proxies by upstream name with the plan's headers", () => {
    const text = nginxSiteFor(new URL("https://pixelfox.cc"));
    expect(text.split("\n")[0]).toBe("include /etc/nginx/pixelfox/upstream.conf;");
    expect(text).toContain("  server_name pixelfox.cc www.pixelfox.cc;\n");
    expect(text).toContain(`    proxy_pass http://${NGINX_UPSTREAM_NAME};\n`);
    for (const h of ["Host $host", "X-Forwarded-For $proxy_add_x_forwarded_for", "X-Forwarded-Proto $scheme"])
      expect(text).toContain(`proxy_set_header ${h};`);
    expect(nginxSiteFor(new URL("http://10.0.0.30"))).toContain("  server_name 10.0.0.30;\n");
  });
});
