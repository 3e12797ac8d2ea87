import { describe, expect, it } from "vitest";
import { composeYaml, envFileText, type ExportedService } from "./compose-export";
import type { RunningConfig } from "./running-config";
import { running } from "./testing/exported";

const service = (s: Partial<ExportedService> & { config: RunningConfig }): ExportedService => ({
  service: "app",
  env: [],
  command: null,
  ...s,
});
const WHEN = new Date("2026-01-02T03:04:05Z");

describe("composeYaml", () => {
  it("a bridge service: image, restart, env file, network_mode bridge (no project network), ports with their host IPs, volumes", () => {
    const yaml = composeYaml(
      "app1",
      [
        service({
          config: running({
            ports: [
              { hostIp: "127.0.0.1", hostPort: 4000, containerPort: 4000 },
              { hostIp: "", hostPort: 8081, containerPort: 81 },
            ],
            binds: [
              { host: "/srv/pixelfox/uploads", container: "/app/uploads", readOnly: false },
              { host: "/srv/pixelfox/ro", container: "/app/ro", readOnly: true },
            ],
            labels: { "com.pixelfox.stack": "pixelfox", "com.docker.compose.project": "pixelfox", maintainer: "x" },
          }),
          env: [["DB_HOST", "10.0.0.10"]],
        }),
      ],
      WHEN,
    );
    expect(yaml).toBe(
      [
        "# What PixelFox Ops runs on app1, read from Docker on 2026-01-02T03:04:05.000Z.",
        "# Start the same with: docker compose up -d",
        "services:",
        "  app:",
        '    container_name: "pxlfox-app"',
        '    image: "ghcr.io/pixelfox/pixelfox:v1.4.0"',
        '    restart: "always"',
        "    env_file:",
        '      - "app.env"',
        '    network_mode: "bridge"',
        "    ports:",
        '      - "127.0.0.1:4000:4000"',
        '      - "8081:81"',
        "    volumes:",
        '      - "/srv/pixelfox/uploads:/app/uploads"',
        '      - "/srv/pixelfox/ro:/app/ro:ro"',
        "    labels:", // only the panel's own: compose's and the image's labels are compose's and the image's to set
        '      "com.pixelfox.stack": "pixelfox"',
        "",
      ].join("\n"),
    );
  });

  it("host network: network_mode host, no ports (Docker ignores them there), no env file without env", () => {
    const yaml = composeYaml(
      "edge1",
      [service({ service: "proxy", config: running({ container: "pxlfox-proxy", networkMode: "host" }) })],
      WHEN,
    );
    expect(yaml).toContain('    network_mode: "host"\n');
    expect(yaml).not.toMatch(/ports:|env_file:|^networks:/m);
  });

  it("a named network: attached as an external network, declared once", () => {
    const yaml = composeYaml(
      "h",
      [
        service({ config: running({ networkMode: "pxnet" }) }),
        service({ service: "cache", config: running({ container: "c", networkMode: "pxnet" }) }),
      ],
      WHEN,
    );
    expect(yaml).not.toContain("network_mode");
    expect(yaml.match(/ {4}networks:\n {6}- "pxnet"\n/g)).toHaveLength(2);
    expect(yaml.endsWith('networks:\n  "pxnet":\n    external: true\n')).toBe(true);
  });

  it("writes `$` as compose's literal `$$` in values, never in keys; restart no stays the string", () => {
    const yaml = composeYaml(
      "h",
      [
        service({
          config: running({
            labels: { "com.pixelfox.$k": "$v" },
            restart: "no",
            binds: [{ host: "/srv/$x", container: "/y", readOnly: false }],
          }),
          command: ["sh", "-c", 'exec redis-server --requirepass "$CACHE_PASSWORD"'],
        }),
      ],
      WHEN,
    );
    expect(yaml).toContain('      - "exec redis-server --requirepass \\"$$CACHE_PASSWORD\\""\n');
    expect(yaml).toContain('      "com.pixelfox.$k": "$$v"\n');
    expect(yaml).toContain('      - "/srv/$$x:/y"\n');
    expect(yaml).toContain('    restart: "no"\n');
  });

  it("escapes what YAML would not read back: C1 controls, NEL, line and paragraph separators, DEL", () => {
    const yaml = composeYaml(
      "h",
      [service({ config: running({ labels: { "com.pixelfox.x": "a\u0085b\u2028c\u2029d\u0080e\u007ff\n" } }) })],
      WHEN,
    );
    expect(yaml).toContain('"com.pixelfox.x": "a\\u0085b\\u2028c\\u2029d\\u0080e\\u007ff\\n"');
    expect(yaml).not.toMatch(/[\u007f-\u009f\u2028\u2029]/);
  });
});

describe("envFileText", () => {
  it("says whose environment it is and to keep it 0600; the entries as the host's .env quotes them", () => {
    const text = envFileText(
      service({
        config: running(),
        env: [
          ["DB_HOST", "10.0.0.10"],
          ["CMD", "$(id)"],
        ],
      }),
    );
    expect(text).toBe("# Environment of pxlfox-app (secrets: keep this file at mode 0600)\nDB_HOST=10.0.0.10\nCMD='$(id)'\n");
  });

  it("warns about a value no quoting carries to every reader, naming the key and the rule, never the value", () => {
    const text = envFileText(
      service({
        config: running(),
        env: [
          ["DB_PASSWORD", "it's $5ecret"],
          ["TOKEN", "${HOME}-s3cret"],
        ],
      }),
    );
    const warnings = text.split("\n").filter((l) => l.startsWith("# Warning: "));
    expect(warnings).toEqual([
      expect.stringMatching(/^# Warning: DB_PASSWORD: a value cannot hold both ' and \$/),
      expect.stringMatching(/^# Warning: TOKEN: \$\{…\} would be replaced by docker-compose 1\.x/),
    ]);
    expect(warnings.join("\n")).not.toMatch(/5ecret|s3cret/);
  });
});
