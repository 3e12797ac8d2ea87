/**
 * The proxy config the panel provisions, checked by the real programs: `caddy adapt` on the Caddyfile,
 * `nginx -t`/`nginx -T` on the Nginx site and upstream as the provisioned container mounts them (under a
 * temp prefix: nothing binds, nothing keeps running). Skipped when the binary is missing.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { hasBinary } from "@/server/services/proxy/testing/local-servers";
import { buildProxySpec } from "./role-specs";
import { caddyfileFor } from "./proxy-config";
import { planLayout } from "./testing/plan-layout";

const run = (argv: string[], env?: Record<string, string | undefined>) => {
  const r = spawnSync(argv[0]!, argv.slice(1), { env: env as NodeJS.ProcessEnv | undefined, encoding: "utf8", timeout: 10_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

interface Route {
  match?: { host?: string[] }[];
  handle?: { handler: string; routes?: Route[]; upstreams?: { dial: string }[]; response?: { set?: Record<string, string[]> } }[];
}
/** Every handler under a route, subroutes flattened. */
const handlersOf = (routes: Route[]): NonNullable<Route["handle"]> =>
  routes.flatMap((r) => (r.handle ?? []).flatMap((h) => [h, ...(h.routes ? handlersOf(h.routes) : [])]));

describe.skipIf(!hasBinary("caddy"))("caddy adapt on the provisioned Caddyfile", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pxgl-caddy-"));
  const env = { PATH: process.env.PATH, HOME: dir, XDG_CONFIG_HOME: path.join(dir, "c"), XDG_DATA_HOME: path.join(dir, "d") };
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const adapt = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    const r = run(["caddy", "adapt", "--config", file, "--adapter", "caddyfile"], env);
    expect(r.stderr).not.toMatch(/"level":"(warn|error)"/);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as {
      admin: { listen: string };
      apps: { http: { servers: Record<string, { listen: string[]; routes: Route[] }> }; tls?: { automation?: { policies: unknown[] } } };
    };
  };

  it("https: admin on 127.0.0.1:2019, :443, the dials, the security headers with HSTS, the www redirect, the ACME email", () => {
    const l = planLayout({ settings: { acmeEmail: "ops@pixelfox.cc" } });
    const proxy = buildProxySpec(l, ["127.0.0.1:4000", "10.0.0.31:4000"]);
    const json = adapt("Caddyfile.https", proxy.files[0]!.text);
    expect(json.admin).toEqual({ listen: "127.0.0.1:2019" });
    const [server, ...others] = Object.values(json.apps.http.servers);
    expect(others).toEqual([]);
    expect(server!.listen).toEqual([":443"]);
    const site = server!.routes.find((r) => r.match?.[0]?.host?.[0] === "pixelfox.cc")!;
    const handlers = handlersOf([site]);
    expect(handlers.filter((h) => h.handler === "reverse_proxy").map((h) => h.upstreams)).toEqual([
      [{ dial: "127.0.0.1:4000" }, { dial: "10.0.0.31:4000" }],
    ]);
    expect(handlers.find((h) => h.handler === "headers")?.response?.set).toEqual({
      "Strict-Transport-Security": ["max-age=31536000; includeSubDomains"],
      "X-Frame-Options": ["DENY"],
      "X-Content-Type-Options": ["nosniff"],
      "Referrer-Policy": ["strict-origin-when-cross-origin"],
    });
    const www = server!.routes.find((r) => r.match?.[0]?.host?.[0] === "www.pixelfox.cc")!;
    expect(JSON.stringify(www)).toContain('"Location":["https://pixelfox.cc{http.request.uri}"]');
    expect(JSON.stringify(json.apps.tls)).toContain('"email":"ops@pixelfox.cc"');
  });

  it("plain http: :80 only, no TLS app, no HSTS, the dial", () => {
    const json = adapt("Caddyfile.http", caddyfileFor(new URL("http://pixelfox.test/"), ["127.0.0.1:4000"]));
    const servers = Object.values(json.apps.http.servers);
    expect(servers.map((s) => s.listen)).toEqual([[":80"]]);
    expect(json.apps.tls).toBeUndefined();
    const handlers = handlersOf(servers[0]!.routes);
    expect(handlers.filter((h) => h.handler === "reverse_proxy").map((h) => h.upstreams)).toEqual([[{ dial: "127.0.0.1:4000" }]]);
    expect(handlers.find((h) => h.handler === "headers")?.response?.set).not.toHaveProperty("Strict-Transport-Security");
    expect(json.admin).toEqual({ listen: "127.0.0.1:2019" });
  });

  it("the harness can fail: caddy refuses a broken Caddyfile", () => {
    fs.writeFileSync(path.join(dir, "Broken"), "pixelfox.cc {\n\treverse_proxy 127.0.0.1:4000\n");
    expect(run(["caddy", "adapt", "--config", path.join(dir, "Broken"), "--adapter", "caddyfile"], env).code).not.toBe(0);
  });
});

/** The nginx image's /etc/nginx/nginx.conf includes conf.d/*.conf only; Debian's (the fleet's) also sites-enabled/*. */
const NGINX_CONFS = {
  "the nginx image": ["include /etc/nginx/conf.d/*.conf;"],
  "Debian's nginx": ["include /etc/nginx/conf.d/*.conf;", "include /etc/nginx/sites-enabled/*;"],
};

describe.skipIf(!hasBinary("nginx"))("nginx -t on the provisioned site and upstream", () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  /** The container's /etc/nginx under a temp root: the spec's files at its mounts, the given nginx.conf. */
  const containerRoot = (includes: string[], publicDomain: string, dials: string[]) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pxgl-nginx-"));
    dirs.push(dir);
    const etc = path.join(dir, "etc/nginx");
    // Only in the test: container paths under the temp root, and a high loopback port instead of 80.
    const relocate = (text: string) => text.replaceAll("/etc/nginx/", `${etc}/`).replace(/listen 80;/g, "listen 127.0.0.1:18080;");
    const spec = buildProxySpec(planLayout({ publicDomain, settings: { proxy: "nginx" } }), dials);
    for (const f of spec.files) {
      const bind = spec.binds.find((b) => f.path.startsWith(`${b.host}/`))!;
      const target = relocate(`${bind.container}${f.path.slice(bind.host.length)}`);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, relocate(f.text));
    }
    fs.mkdirSync(path.join(etc, "sites-enabled"), { recursive: true });
    const temp = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map((t) => `  ${t}_temp_path ${dir}/${t};`).join("\n");
    const conf = path.join(etc, "nginx.conf");
    fs.writeFileSync(
      conf,
      `pid ${dir}/nginx.pid;\nerror_log ${dir}/error.log warn;\nevents { worker_connections 64; }\nhttp {\n  access_log off;\n${temp}\n${includes.map((i) => `  ${relocate(i)}`).join("\n")}\n}\n`,
    );
    const nginx = (flag: string) => run(["nginx", flag, "-p", `${dir}/`, "-c", conf, "-e", path.join(dir, "error.log")]);
    return { etc, nginx };
  };

  it.each(Object.entries(NGINX_CONFS))("%s loads the site once, with the upstream; nginx -t accepts it", (_name, includes) => {
    const { etc, nginx } = containerRoot(includes, "https://pixelfox.cc", ["127.0.0.1:4000", "10.0.0.31:4000"]);
    const test = nginx("-t");
    expect(test.stderr).toContain("test is successful");
    expect(test.code).toBe(0);
    const dump = nginx("-T").stdout;
    expect(dump.split("\n").filter((l) => l.startsWith("# configuration file "))).toEqual([
      `# configuration file ${etc}/nginx.conf:`,
      `# configuration file ${etc}/conf.d/pixelfox.conf:`,
      `# configuration file ${etc}/pixelfox/upstream.conf:`,
    ]);
    expect(dump).toContain("server_name pixelfox.cc www.pixelfox.cc;");
    expect(dump).toContain("    server 127.0.0.1:4000;\n    server 10.0.0.31:4000;\n");
  });

  it("an IPv4 http site passes too", () => {
    const { nginx } = containerRoot(NGINX_CONFS["the nginx image"], "http://10.0.0.30", ["127.0.0.1:4000"]);
    expect(nginx("-t").code).toBe(0);
  });

  it("the harness can fail: nginx -t refuses an injected upstream line", () => {
    const { etc, nginx } = containerRoot(NGINX_CONFS["the nginx image"], "https://pixelfox.cc", ["127.0.0.1:4000"]);
    fs.writeFileSync(`${etc}/pixelfox/upstream.conf`, "upstream pixelfox_upstream {\n    server 127.0.0.1:4000; evil;\n}\n");
    const test = nginx("-t");
    expect(test.code).not.toBe(0);
    expect(test.stderr).toContain('unknown directive "evil"');
  });
});
