import type { ContainerInspect, ContainerSummaryInfo } from "@/server/adapters/docker";
import { describe, expect, it } from "vitest";
import type { SshTarget } from "@/server/adapters/ssh/types";
import { assertContainerRef } from "./container-ref";
import { restartContainer, startContainer, stopContainer } from "./container-actions";
import { createFakeTransport } from "./testing/fake-transport";
import { listContainers } from "./list-containers";
import { median, parseOsRelease, testConnection } from "./test-connection";

const target: SshTarget = {
  hostId: "h1",
  name: "app",
  address: "10.213.77.11",
  port: 22,
  username: "root",
  privateKey: "",
  pinnedFingerprint: "SHA256:x",
  dockerSocket: "/run/docker.sock",
};

const OS_RELEASE = `PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
ID=debian
`;

describe("testConnection", () => {
  it("reports median latency, OS, kernel and Docker versions, forcing a fresh connect", async () => {
    const { transport, calls } = createFakeTransport({
      pings: [9, 1, 3, 2, 50],
      exec: (argv) => (argv[0] === "cat" ? { stdout: OS_RELEASE } : { stdout: "Linux 6.1.0-18-amd64\n" }),
    });
    const result = await testConnection(target, transport);
    expect(result).toEqual({
      latencyMs: 3,
      os: "Debian GNU/Linux 12 (bookworm)",
      kernel: "Linux 6.1.0-18-amd64",
      dockerVersion: "27.0.0",
      dockerApiVersion: "1.46",
    });
    expect(calls[0]).toBe("connect force=true");
    expect(calls).toContain("exec cat /etc/os-release");
    expect(calls).toContain("exec uname -sr");
  });

  it("maps a Docker failure with the host and action", async () => {
    const { transport } = createFakeTransport({
      version: () =>
        Promise.reject(Object.assign(new Error("(HTTP code 500) server error"), { statusCode: 500, json: { message: "daemon sad" } })),
    });
    const error = await testConnection(target, transport).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "REMOTE_FAILED", host: "app" });
    expect((error as Error).message).toMatch(/read the Docker version on app \(10\.213\.77\.11:22\).*daemon sad/);
  });

  it("parses os-release variants", () => {
    expect(parseOsRelease("NAME=Alpine\nVERSION='3.20'\n")).toBe("Alpine 3.20");
    expect(parseOsRelease("")).toBeUndefined();
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe("listContainers", () => {
  const containers = [
    {
      Id: "b".repeat(64),
      Names: ["/pxlfox-proxy"],
      Image: "caddy:2",
      Created: 1,
      State: "exited",
      Status: "Exited (0)",
      Ports: [],
      Labels: {},
    },
    { Id: "a".repeat(64), Names: ["/pxlfox-app"], Image: "app:v1", Created: 1, State: "running", Status: "Up", Ports: [], Labels: {} },
  ] as unknown as ContainerSummaryInfo[];

  it("lists all containers, inspecting only running ones, sorted by name", async () => {
    const { transport, calls } = createFakeTransport({
      containers,
      inspect: () =>
        ({
          Config: { Image: "app:v1" },
          State: { StartedAt: new Date(Date.now() - 60_000).toISOString(), Health: { Status: "starting" } },
        }) as unknown as ContainerInspect,
    });
    const list = await listContainers(target, transport);
    expect(list.map((c) => [c.name, c.state, c.health])).toEqual([
      ["pxlfox-app", "running", "starting"],
      ["pxlfox-proxy", "exited", "none"],
    ]);
    expect(list[0]!.uptimeSeconds).toBeGreaterThanOrEqual(59);
    expect(calls).toEqual(["list all=true", `inspect ${"a".repeat(64)}`]);
  });

  it("keeps a container that vanished between list and inspect", async () => {
    const { transport } = createFakeTransport({ containers });
    const list = await listContainers(target, transport);
    expect(list).toHaveLength(2);
  });
});

describe("container actions", () => {
  it("starts, stops (with timeout) and restarts by name", async () => {
    const { transport, calls } = createFakeTransport();
    await expect(startContainer(target, "pxlfox-app", transport)).resolves.toEqual({ container: "pxlfox-app", changed: true });
    await stopContainer(target, "pxlfox-app", { timeoutSeconds: 3 }, transport);
    await restartContainer(target, "a".repeat(12), {}, transport);
    expect(calls).toEqual(["start pxlfox-app", "stop pxlfox-app t=3", `restart ${"a".repeat(12)} t=10`]);
  });

  it("treats 'already in that state' (304) as unchanged, not an error", async () => {
    const { transport } = createFakeTransport({
      action: () => Promise.reject(Object.assign(new Error("(HTTP code 304) container already started"), { statusCode: 304 })),
    });
    await expect(startContainer(target, "pxlfox-app", transport)).resolves.toEqual({ container: "pxlfox-app", changed: false });
  });

  it("maps 404 to NOT_FOUND naming the container and the host", async () => {
    const { transport } = createFakeTransport({
      action: () =>
        Promise.reject(
          Object.assign(new Error("(HTTP code 404) no such container"), { statusCode: 404, json: { message: "No such container: ghost" } }),
        ),
    });
    const error = await stopContainer(target, "ghost", {}, transport).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "NOT_FOUND", host: "app", action: "stop container ghost" });
    expect((error as Error).message).toMatch(/^Container ghost not found on app \(10\.213\.77\.11:22\)/);
  });

  it.each(["", "../etc", "a b", "-rm", "x;y", "/pxlfox-app", "a".repeat(129), "pxlfox-app?force=1"])(
    "rejects %j before calling Docker",
    async (ref) => {
      const { transport, calls } = createFakeTransport();
      await expect(startContainer(target, ref, transport)).rejects.toMatchObject({ code: "BAD_REQUEST" });
      expect(calls).toEqual([]);
    },
  );

  it("accepts names and 12/64-hex ids", () => {
    for (const ref of ["pxlfox-app", "a", "web_1.x", "0123456789ab", "f".repeat(64)]) expect(assertContainerRef(ref)).toBe(ref);
  });
});
