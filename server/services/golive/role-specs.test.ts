import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseEnvText } from "@/server/services/env/env-format";
import { buildAppSpec, buildCacheSpec, buildDbSpec, buildProxySpec, buildStorageSpec } from "./role-specs";
import { describePorts, GOLIVE_LABELS, toCreateSpec, type RoleSpec } from "./role-spec";
import { fakeSecret, PLAN_ADDRESSES, planLayout } from "./testing/plan-layout";

const envOf = (spec: RoleSpec) => Object.fromEntries(parseEnvText(spec.files.find((f) => f.path.endsWith("/.env"))!.text).entries);
const allSpecs = (l = planLayout()) => [
  buildDbSpec(l),
  buildCacheSpec(l),
  buildAppSpec(l, 0),
  buildStorageSpec(l, 0, "s01"),
  buildProxySpec(l, ["127.0.0.1:4000"]),
];

describe("the db and the cache", () => {
  it("publish 3306 and 6379 on the host's private address only, never on every interface", () => {
    const l = planLayout();
    for (const [spec, ip, port] of [
      [buildDbSpec(l), PLAN_ADDRESSES.db, "3306"],
      [buildCacheSpec(l), PLAN_ADDRESSES.cache, "6379"],
    ] as const) {
      const create = toCreateSpec(spec);
      expect(create.HostConfig?.NetworkMode).toBe("bridge");
      expect(create.HostConfig?.PortBindings).toEqual({ [`${port}/tcp`]: [{ HostIp: ip, HostPort: port }] });
      expect(create.ExposedPorts).toEqual({ [`${port}/tcp`]: {} });
      expect(describePorts(spec.ports)).toBe(`${ip}:${port}→${port}`);
    }
  });

  it("db: MySQL gets the app's user, database and password, a root password of its own, no removed option", () => {
    const l = planLayout();
    const db = buildDbSpec(l);
    const app = Object.fromEntries(l.appEnv);
    expect(db.env).toEqual({
      MYSQL_ROOT_PASSWORD: fakeSecret("root"),
      MYSQL_DATABASE: app.DB_NAME,
      MYSQL_USER: app.DB_USER,
      MYSQL_PASSWORD: app.DB_PASSWORD,
    });
    expect(db.cmd).toBeUndefined(); // the image's own command: no --default-authentication-plugin
    expect(toCreateSpec(db)).not.toHaveProperty("Cmd");
    expect(db.binds).toEqual([{ host: "/srv/mysql/data", container: "/var/lib/mysql" }]);
    expect(envOf(db)).toEqual({
      DB_ROOT_PASSWORD: fakeSecret("root"),
      DB_NAME: "pixelfox_db",
      DB_USER: "pixelfox",
      DB_PASSWORD: app.DB_PASSWORD,
    });
  });

  it("Dragonfly reads the password from DFLY_requirepass; it is never on the command line", () => {
    const cache = buildCacheSpec(planLayout());
    expect(cache.image).toBe("docker.dragonflydb.io/dragonflydb/dragonfly");
    expect(cache.env).toEqual({ DFLY_requirepass: fakeSecret("cache") });
    expect(cache.cmd).toEqual(["dragonfly", "--cache_mode=true", "--dir=/data"]);
    expect(cache.cmd!.join(" ")).not.toContain(fakeSecret("cache"));
    expect(envOf(cache)).toEqual({ CACHE_PASSWORD: fakeSecret("cache") });
  });

  it("Redis gets the password as one argument of --requirepass, byte for byte, from its environment (a real sh runs the command)", () => {
    const hostile = `p w'"$(touch marker)\`id\`;$HOME\\#`;
    const cache = buildCacheSpec(planLayout({ settings: { cacheFlavor: "redis" }, secrets: { cachePassword: hostile } }));
    expect(cache.env).toEqual({ CACHE_PASSWORD: hostile });
    expect(cache.cmd!.join(" ")).not.toContain(hostile);
    const create = toCreateSpec(cache);
    expect(create.Cmd).toEqual(cache.cmd);
    expect(create.Env).toEqual([`CACHE_PASSWORD=${hostile}`]);
    // A stand-in redis-server on PATH prints the argv it was given, NUL-separated.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pxgl-redis-"));
    try {
      fs.writeFileSync(path.join(dir, "redis-server"), '#!/bin/sh\nprintf "%s\\0" "$@"\n', { mode: 0o755 });
      const out = execFileSync(cache.cmd![0]!, cache.cmd!.slice(1), {
        cwd: dir,
        env: { PATH: `${dir}:/usr/bin:/bin`, CACHE_PASSWORD: hostile } as unknown as NodeJS.ProcessEnv,
      }).toString("utf8");
      expect(out.split("\0").slice(0, -1)).toEqual(["--requirepass", hostile, "--dir", "/data"]);
      expect(fs.existsSync(path.join(dir, "marker"))).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the app and the storage node", () => {
  it("the app on the proxy's host publishes 4000 on 127.0.0.1 only", () => {
    const app = buildAppSpec(planLayout({ proxyOnAppHost: true }), 0);
    expect(toCreateSpec(app).HostConfig?.PortBindings).toEqual({ "4000/tcp": [{ HostIp: "127.0.0.1", HostPort: "4000" }] });
    expect(app.corrections).toContain("4000 published on 127.0.0.1 only (the proxy shares this host)");
  });

  it("an app the proxy dials from another host publishes 4000 on its private address, never on every interface", () => {
    const app = buildAppSpec(planLayout({ proxyOnAppHost: false }), 0);
    expect(toCreateSpec(app).HostConfig?.PortBindings).toEqual({ "4000/tcp": [{ HostIp: PLAN_ADDRESSES.app, HostPort: "4000" }] });
  });

  it("the app's env points at the db and cache specs: same hosts, users and passwords; APP_HOST 0.0.0.0", () => {
    const l = planLayout();
    const [db, cache, app] = [buildDbSpec(l), buildCacheSpec(l), buildAppSpec(l, 0)];
    expect(app.env).toMatchObject({
      DB_HOST: db.ports[0]!.hostIp,
      DB_PORT: String(db.ports[0]!.hostPort),
      DB_NAME: db.env.MYSQL_DATABASE,
      DB_USER: db.env.MYSQL_USER,
      DB_PASSWORD: db.env.MYSQL_PASSWORD,
      CACHE_HOST: cache.ports[0]!.hostIp,
      CACHE_PORT: String(cache.ports[0]!.hostPort),
      CACHE_PASSWORD: cache.env.DFLY_requirepass,
      APP_HOST: "0.0.0.0",
      APP_PORT: "4000",
    });
    expect(app.env).not.toHaveProperty("NODE_ID"); // a stale NODE_ID in the env never reaches the app
    expect(envOf(app)).toEqual(app.env);
    expect(toCreateSpec(app).Env).toEqual(Object.entries(app.env).map(([k, v]) => `${k}=${v}`));
    expect(app.binds.map((b) => `${b.host}:${b.container}`)).toEqual(["/srv/pixelfox/uploads:/app/uploads", "/srv/pixelfox/tmp:/app/tmp"]);
  });

  it("a storage node runs the app image with its NODE_ID and the app's REPLICATION_SECRET, on its private address", () => {
    const l = planLayout();
    const [app, storage] = [buildAppSpec(l, 0), buildStorageSpec(l, 0, "s01")];
    expect(storage).toMatchObject({ role: "storage", container: "pxlfox-storage", image: app.image });
    expect(storage.env.NODE_ID).toBe("s01");
    expect(storage.env.REPLICATION_SECRET).toBe(app.env.REPLICATION_SECRET);
    expect(storage.ports).toEqual([{ hostIp: PLAN_ADDRESSES.storage, hostPort: 4000, containerPort: 4000 }]);
  });
});

describe("the proxy", () => {
  it("Caddy runs on the host network with the Caddyfile, /data and /config on the host", () => {
    const proxy = buildProxySpec(planLayout(), ["127.0.0.1:4000"]);
    const create = toCreateSpec(proxy);
    expect(create.Image).toBe("caddy:2");
    expect(create.HostConfig?.NetworkMode).toBe("host");
    expect(create.HostConfig).not.toHaveProperty("PortBindings");
    expect(create.HostConfig?.Binds).toEqual([
      "/srv/caddy/Caddyfile:/etc/caddy/Caddyfile",
      "/srv/caddy/data:/data",
      "/srv/caddy/config:/config",
    ]);
    expect(proxy.files.map((f) => [f.path, f.mode])).toEqual([["/srv/caddy/Caddyfile", "0644"]]);
    expect(proxy.files[0]!.text).toContain("reverse_proxy 127.0.0.1:4000\n");
  });

  it("Nginx puts the site where both the nginx image and Debian's nginx load it (conf.d/*.conf), the upstream beside", () => {
    const proxy = buildProxySpec(planLayout({ settings: { proxy: "nginx" } }), ["127.0.0.1:4000"]);
    expect(proxy.image).toBe("nginx:1.27");
    expect(proxy.networkMode).toBe("host");
    expect(proxy.binds).toEqual([
      { host: "/srv/nginx/conf.d", container: "/etc/nginx/conf.d" },
      { host: "/srv/nginx/pixelfox", container: "/etc/nginx/pixelfox" },
    ]);
    expect(proxy.files.map((f) => f.path)).toEqual(["/srv/nginx/conf.d/pixelfox.conf", "/srv/nginx/pixelfox/upstream.conf"]);
  });

  it("refuses a publicDomain that is not a plain host name, naming the field", () => {
    expect(() => buildProxySpec(planLayout({ publicDomain: "https://pixelfox.cc;evil/" }), ["127.0.0.1:4000"])).toThrow(
      expect.objectContaining({ code: "BAD_REQUEST", data: { field: "publicDomain" } }),
    );
  });
});

describe("every role", () => {
  it("restarts always, rotates its logs, carries the panel's labels", () => {
    for (const spec of allSpecs()) {
      const create = toCreateSpec(spec);
      expect(create.HostConfig?.RestartPolicy, spec.role).toEqual({ Name: "always" });
      expect(create.HostConfig?.LogConfig, spec.role).toEqual({ Type: "json-file", Config: { "max-size": "10m", "max-file": "3" } });
      expect(create.Labels, spec.role).toMatchObject({
        [GOLIVE_LABELS.stack]: "pixelfox",
        [GOLIVE_LABELS.service]: spec.role,
        [GOLIVE_LABELS.managed]: "1",
      });
      expect(create.name).toBe(spec.container);
    }
  });

  it("says each correction of the plan's template", () => {
    const [db, cache, app, storage, caddy] = allSpecs();
    const nginx = buildProxySpec(planLayout({ settings: { proxy: "nginx" } }), ["127.0.0.1:4000"]);
    const said = (spec: RoleSpec, ...patterns: RegExp[]) => {
      for (const p of patterns)
        expect(
          spec.corrections.some((c) => p.test(c)),
          `${spec.role}: ${p}`,
        ).toBe(true);
    };
    said(
      db!,
      /no --default-authentication-plugin=mysql_native_password .*MySQL 8\.4 removed/,
      /3306 published on the private address 10\.0\.0\.10 only/,
    );
    said(cache!, /generated password .*CACHE_PASSWORD/, /6379 published on the private address 10\.0\.0\.20 only/);
    said(app!, /^APP_HOST=0\.0\.0\.0/, /4000 published on 127\.0\.0\.1 only/);
    said(storage!, /^APP_HOST=0\.0\.0\.0/, /NODE_ID=s01; REPLICATION_SECRET identical to the app's/);
    said(caddy!, /admin API on 127\.0\.0\.1:2019 only/, /reverse_proxy 127\.0\.0\.1:4000: the panel keeps this line in step/);
    said(nginx, /upstream pixelfox_upstream .*nginx -t and a graceful reload/, /conf\.d/);
  });

  it("keeps every .env at mode 0600 and marked secret; no other file holds a secret", () => {
    const l = planLayout();
    const secrets = [...Object.values(l.secrets), fakeSecret("upload"), fakeSecret("replication")];
    for (const spec of [...allSpecs(l), buildProxySpec(planLayout({ settings: { proxy: "nginx" } }), ["127.0.0.1:4000"])]) {
      for (const f of spec.files) {
        if (f.path.endsWith("/.env")) expect([f.mode, f.secret], f.path).toEqual(["0600", true]);
        else for (const s of secrets) expect(f.text, f.path).not.toContain(s);
      }
      expect(spec.files.some((f) => f.path.endsWith("/.env"))).toBe(spec.role !== "proxy");
    }
  });
});
