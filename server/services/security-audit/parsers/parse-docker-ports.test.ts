import { describe, expect, it } from "vitest";
import { parseContainerInspectPorts, parseContainerListPorts, toDockerPublished } from "./parse-docker-ports";
import { readFixture } from "./read-fixture";

const json = (name: string) => JSON.parse(readFixture(name)) as unknown;

describe("Docker port bindings", () => {
  it("reads GET /containers/json: PixelFox's db and cache on all interfaces, the app on loopback, the proxy on the host network", () => {
    const r = parseContainerListPorts(json("docker-containers-json.json"));
    expect(r.readable).toBe(true);
    const byName = new Map(r.containers.map((c) => [c.name, c]));
    expect(byName.get("pxlfox-db")?.bindings).toEqual([
      { hostIp: "0.0.0.0", hostPort: 3306, containerPort: 3306, proto: "tcp", isAllInterfaces: true },
      { hostIp: "::", hostPort: 3306, containerPort: 3306, proto: "tcp", isAllInterfaces: true },
    ]);
    expect(byName.get("pxlfox-app")?.bindings).toEqual([
      { hostIp: "127.0.0.1", hostPort: 4000, containerPort: 4000, proto: "tcp", isAllInterfaces: false },
    ]);
    expect(byName.get("pxlfox-proxy")).toMatchObject({ isHostNetwork: true, bindings: [] });
    expect(byName.get("pxlfox-proxy")?.note).toContain("its ports are the process's own listening sockets");
    expect(r.evidence).toContain("pxlfox-cache: 0.0.0.0:6379 → 6379/tcp (all interfaces)");
  });

  it('reads inspect: the live NetworkSettings.Ports, else PortBindings where HostIp "" means all interfaces', () => {
    const db = parseContainerInspectPorts(json("docker-inspect-db-running.json")).containers[0];
    expect(db?.bindings.map((b) => [b.hostIp, b.hostPort, b.isAllInterfaces])).toEqual([
      ["0.0.0.0", 3306, true],
      ["::", 3306, true],
    ]);
    expect(db?.note).toBe("from NetworkSettings.Ports (running)");
    const app = parseContainerInspectPorts(json("docker-inspect-app-stopped.json")).containers[0];
    expect(app?.bindings).toEqual([
      { hostIp: "127.0.0.1", hostPort: 4000, containerPort: 4000, proto: "tcp", isAllInterfaces: false },
      { hostIp: "", hostPort: "unknown", containerPort: 9090, proto: "tcp", isAllInterfaces: true },
    ]);
    expect(app?.note).toBe("from HostConfig.PortBindings (applied when it starts)");
    expect(parseContainerInspectPorts(json("docker-inspect-proxy-host.json")).containers[0]).toMatchObject({
      isHostNetwork: true,
      networkMode: "host",
    });
  });

  it("gives the firewall evaluator one entry per host port, all-interfaces as 'any'", () => {
    const published = toDockerPublished(parseContainerListPorts(json("docker-containers-json.json")).containers);
    expect(published.map((p) => [p.hostIp, p.hostPort.from])).toEqual([
      ["any", 3306],
      ["any", 3306],
      ["any", 6379],
      ["any", 6379],
      ["127.0.0.1", 4000],
    ]);
  });

  it("gives unknown for a CLI error, garbage, truncated JSON and items without Ports", () => {
    const truncated = readFixture("docker-containers-json.json").slice(0, 400);
    for (const input of [
      "permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock",
      "",
      truncated,
      { message: "page not found" },
      [{ Names: ["/x"] }],
      null,
    ]) {
      expect(parseContainerListPorts(input)).toMatchObject({ readable: false, containers: [] });
    }
    expect(parseContainerInspectPorts("Error: No such object: pxlfox-db")).toMatchObject({ readable: false });
    expect(parseContainerListPorts("permission denied while trying to connect to the Docker daemon socket").problem).toContain(
      "Docker said",
    );
  });
});
