import { describe, expect, it } from "vitest";
import { isAllInterfaces, maskedEnv, readRunningConfig } from "./running-config";
import { inspect, PLAN_CACHE, PLAN_DB, PLAN_PROXY } from "./testing/plan-inspect";

describe("readRunningConfig on Docker 20.10's inspect", () => {
  it('the plan\'s db: 3306 on every interface (HostIp ""), the removed option after the entrypoint, the compose network', () => {
    const rc = readRunningConfig(PLAN_DB);
    expect(rc).toMatchObject({
      container: "pxlfox-db",
      image: "mysql:8.4",
      running: true,
      cmd: ["docker-entrypoint.sh", "--default-authentication-plugin=mysql_native_password"],
      networkMode: "mysql_default",
      ports: [{ hostIp: "", hostPort: 3306, containerPort: 3306 }],
      binds: [{ host: "/srv/mysql/data", container: "/var/lib/mysql", readOnly: false }],
      restart: "always",
    });
    expect(rc.env).toMatchObject({ MYSQL_PASSWORD: "strong_db_password", MYSQL_MAJOR: "8.4" });
    expect(rc.labels["com.docker.compose.project"]).toBe("mysql");
    expect(isAllInterfaces(rc.ports[0]!.hostIp)).toBe(true);
  });

  it("the plan's cache: an anonymous volume counts as a mount, with its data directory", () => {
    const rc = readRunningConfig(PLAN_CACHE);
    expect(rc.cmd).toEqual(["entrypoint.sh", "dragonfly", "--cache_mode=true"]);
    expect(rc.binds).toEqual([
      { host: expect.stringMatching(/^\/var\/lib\/docker\/volumes\/\w+\/_data$/) as string, container: "/data", readOnly: false },
    ]);
  });

  it("host network: no ports; a read-only bind stays read-only; binds sorted by container path", () => {
    const rc = readRunningConfig(PLAN_PROXY);
    expect(rc.networkMode).toBe("host");
    expect(rc.ports).toEqual([]);
    const expected = [
      { host: "/srv/caddy/data", container: "/data", readOnly: false },
      { host: "/srv/caddy/Caddyfile", container: "/etc/caddy/Caddyfile", readOnly: true },
    ];
    expect(rc.binds).toEqual(expected);
    // Docker gives Mounts in no fixed order: the reverse order reads the same.
    const reversed = readRunningConfig({ ...PLAN_PROXY, Mounts: [...(PLAN_PROXY.Mounts ?? [])].reverse() });
    expect(reversed.binds).toEqual(expected);
  });

  it("bridge published on 0.0.0.0 and [::] (docker run -p 0.0.0.0:6379:6379 -p [::]:6379:6379), and on a private address", () => {
    const rc = readRunningConfig(
      inspect({
        name: "redis",
        image: "redis:7",
        portBindings: {
          "6379/tcp": [
            { HostIp: "0.0.0.0", HostPort: "6379" },
            { HostIp: "::", HostPort: "6379" },
          ],
          "16379/tcp": [{ HostIp: "10.0.0.20", HostPort: "16379" }],
          "9121/tcp": null,
        },
      }),
    );
    expect(rc.ports).toEqual([
      { hostIp: "0.0.0.0", hostPort: 6379, containerPort: 6379 },
      { hostIp: "::", hostPort: 6379, containerPort: 6379 },
      { hostIp: "10.0.0.20", hostPort: 16379, containerPort: 16379 },
    ]);
    expect(rc.ports.map((p) => isAllInterfaces(p.hostIp))).toEqual([true, true, false]);
  });

  it("env values keep their '=' and everything after; nulls (no ports, env, cmd, labels, policy) read as empty", () => {
    const rc = readRunningConfig(
      inspect({
        name: "x",
        image: "busybox",
        env: ["A=b=c", "EMPTY=", "NOVALUE"],
        cmd: null,
        labels: null,
        portBindings: null,
        running: false,
      }),
    );
    expect(rc).toMatchObject({ container: "x", running: false, cmd: [], ports: [], binds: [], labels: {}, env: { A: "b=c", EMPTY: "" } });
    const bare = inspect({ name: "y", image: "busybox", env: null });
    (bare.HostConfig as { RestartPolicy?: unknown }).RestartPolicy = undefined;
    (bare.HostConfig as { NetworkMode?: string }).NetworkMode = undefined;
    expect(readRunningConfig(bare)).toMatchObject({ env: {}, restart: "no", networkMode: "default" });
  });
});

describe("isAllInterfaces", () => {
  it.each([
    ["", true],
    ["0.0.0.0", true],
    ["::", true],
    ["127.0.0.1", false],
    ["::1", false],
    ["10.0.0.10", false],
  ])("%j → %s", (ip, expected) => expect(isAllInterfaces(ip)).toBe(expected));
});

describe("maskedEnv", () => {
  it("masks secret values (with their length), shows the rest, leaves an empty secret empty", () => {
    expect(
      maskedEnv({
        DB_HOST: "10.0.0.10",
        DB_PASSWORD: "strong_db_password",
        DFLY_requirepass: "abc",
        UPLOAD_TOKEN_SECRET: "",
        APP_ENV: "prod",
      }),
    ).toEqual({
      DB_HOST: "10.0.0.10",
      DB_PASSWORD: "•••••• (18 characters)",
      DFLY_requirepass: "•••••• (3 characters)",
      UPLOAD_TOKEN_SECRET: "",
      APP_ENV: "prod",
    });
  });
});
