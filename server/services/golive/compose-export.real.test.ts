/**
 * The exported compose file and env files read by the real docker-compose 1.29 (`config` needs no daemon):
 * what it would start must be what runs, byte for byte, hostile values included. Skipped without it.
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hostFileProblem } from "@/server/services/env/env-quoting";
import { findOnPath } from "@/server/services/env/testing/env-readers";
import { composeYaml, envFileText, type ExportedService } from "./compose-export";
import { buildAppSpec, buildCacheSpec, buildProxySpec } from "./role-specs";
import { exportedOf, running } from "./testing/exported";
import { planLayout } from "./testing/plan-layout";

/** Values that break a YAML or compose file written naively. NEL (U+0085) is left out: PyYAML's own dump of it does not read back. */
const HOSTILE = [
  "$HOME",
  "${HOME}",
  "$$",
  "a$b",
  "$(touch marker)",
  "`id`",
  'q"uote',
  "it's",
  "a #b",
  "#x",
  "- dash",
  ": colon",
  "key: value",
  "yes",
  "no",
  "null",
  "~",
  "0o17",
  "1e3",
  "0x1F",
  "&anchor",
  "*alias",
  "!tag",
  "%p",
  "@a",
  "|",
  ">",
  "{a: 1}",
  "[b]",
  "'",
  '"',
  "\\",
  "\\n",
  " lead",
  "trail ",
  "\ttab",
  "x\ny",
  "cr\rlf",
  "a\u2028b\u2029c",
  "c1\u0080\u009f",
  "del\u007f",
  "€uro 日本語",
  "",
];

const COMPOSE = findOnPath("docker-compose");
const PYTHON = findOnPath("python3");

interface ComposeConfig {
  services: Record<
    string,
    {
      image: string;
      container_name: string;
      restart: string;
      command?: string[];
      network_mode?: string;
      networks?: Record<string, unknown>;
      ports?: (string | { published: number; target: number })[];
      volumes?: string[];
      labels?: Record<string, string>;
      environment?: Record<string, string>;
    }
  >;
  networks?: Record<string, { external?: boolean }>;
}

describe.skipIf(!COMPOSE || !PYTHON)("docker-compose config on an exported host", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pxgl-compose-"));
  const l = planLayout({ settings: { cacheFlavor: "redis" } });
  const envValues = HOSTILE.filter((v) => hostFileProblem("K", v) === null);
  const hostileEnv = Object.fromEntries(envValues.map((v, i) => [`PXF_H${i}`, v]));
  const hostileLabels = Object.fromEntries(HOSTILE.map((v, i) => [`com.pixelfox.h${i}`, v]));
  const app = exportedOf(buildAppSpec(l, 0));
  app.config.labels = { ...app.config.labels, ...hostileLabels };
  app.config.binds.push({ host: "/srv/odd dir/$x #y 'q\" €", container: "/app/odd", readOnly: true });
  app.config.ports.push({ hostIp: "", hostPort: 8081, containerPort: 81 }, { hostIp: "::", hostPort: 8082, containerPort: 82 });
  app.env.push(...Object.entries(hostileEnv));
  const cache = exportedOf(buildCacheSpec(l));
  const proxy = exportedOf(buildProxySpec(l, ["127.0.0.1:4000"]));
  const worker: ExportedService = {
    service: "worker",
    config: running({ container: "pxlfox-worker", networkMode: "pxnet", labels: { "com.pixelfox.role": "worker" } }),
    env: [],
    command: HOSTILE,
  };
  const services = [app, cache, proxy, worker];
  let config: ComposeConfig;
  let stderr = "";

  beforeAll(() => {
    fs.writeFileSync(path.join(dir, "docker-compose.yml"), composeYaml("app1", services, new Date()));
    for (const s of services) if (s.env.length) fs.writeFileSync(path.join(dir, `${s.service}.env`), envFileText(s), { mode: 0o600 });
    // A project .env and a shell variable that compose would substitute into an unescaped `$CACHE_PASSWORD`.
    fs.writeFileSync(path.join(dir, ".env"), "CACHE_PASSWORD=from-the-project-env\n");
    const r = spawnSync(COMPOSE!, ["-f", "docker-compose.yml", "config"], {
      cwd: dir,
      env: { PATH: "/usr/bin:/bin", HOME: dir, COMPOSE_PROJECT_NAME: "pxglexport", x: "from-the-shell" } as unknown as NodeJS.ProcessEnv,
      encoding: "utf8",
      timeout: 20_000,
    });
    stderr = r.stderr;
    expect(r.status, r.stderr).toBe(0);
    const json = execFileSync(PYTHON!, ["-c", "import sys, json, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)"], {
      input: r.stdout,
    });
    // `config` prints compose's literal `$` as `$$` again, so its output is a compose file too: undone here.
    config = JSON.parse(json.toString(), (_k, v: unknown) => (typeof v === "string" ? v.replaceAll("$$", "$") : v)) as ComposeConfig;
  }, 30_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("substitutes nothing (no variable warnings)", () => {
    expect(stderr).not.toMatch(/variable is not set/);
  });

  it("keeps every service's image, container name, restart policy and network", () => {
    expect(Object.keys(config.services).sort()).toEqual(["app", "cache", "proxy", "worker"]);
    for (const s of services) {
      expect(config.services[s.service]).toMatchObject({ image: s.config.image, container_name: s.config.container, restart: "always" });
    }
    expect(config.services.app!.network_mode).toBe("bridge");
    expect(config.services.proxy!.network_mode).toBe("host");
    expect(config.services.proxy!.ports).toBeUndefined();
    expect(config.services.worker!.network_mode).toBeUndefined();
    expect(Object.keys(config.services.worker!.networks ?? {})).toEqual(["pxnet"]);
    expect(config.networks?.pxnet?.external).toBe(true);
  });

  it("publishes each port on the same host address", () => {
    const ports = (name: string) =>
      (config.services[name]!.ports ?? []).map((p) => (typeof p === "string" ? p.replace(/\/tcp$/, "") : `${p.published}:${p.target}`));
    expect(ports("app")).toEqual(["127.0.0.1:4000:4000", "8081:81", ":::8082:82"]);
    expect(ports("cache")).toEqual(["10.0.0.20:6379:6379"]);
  });

  it("mounts the same paths, read-only where they were", () => {
    expect(config.services.app!.volumes).toEqual([
      "/srv/pixelfox/uploads:/app/uploads:rw",
      "/srv/pixelfox/tmp:/app/tmp:rw",
      "/srv/odd dir/$x #y 'q\" €:/app/odd:ro",
    ]);
  });

  it("keeps every label value byte for byte", () => {
    expect(config.services.app!.labels).toEqual(app.config.labels);
  });

  it("keeps every command argument byte for byte: the Redis password stays the container's own", () => {
    expect(config.services.cache!.command).toEqual(cache.command);
    expect(config.services.cache!.command!.join(" ")).toContain('--requirepass "$CACHE_PASSWORD"');
    expect(config.services.worker!.command).toEqual(HOSTILE);
  });

  it("gives every env value back from the env files byte for byte", () => {
    expect(envValues.length).toBeGreaterThan(HOSTILE.length - 6);
    expect(config.services.app!.environment).toEqual(Object.fromEntries(app.env));
    expect(config.services.cache!.environment).toEqual({ CACHE_PASSWORD: l.secrets.cachePassword });
    expect(config.services.proxy!.environment).toBeUndefined();
  });
});
