import type { ContainerInspect } from "@/server/adapters/docker";
import { describe, expect, it } from "vitest";
import { imageReference, ZDeploySettings } from "@/server/domain/deploy";
import { portOf } from "./app-containers";
import { isHealthyAnswer } from "./health-gate";
import { createPullTracker } from "./pull-image";

describe("health answers", () => {
  it("accepts only PixelFox's pong on the ping path", () => {
    expect(isHealthyAnswer("/api/v1/ping", 200, '{"ping":"pong"}')).toBe(true);
    expect(isHealthyAnswer("/api/v1/ping", 200, "<html>maintenance</html>")).toBe(false);
    expect(isHealthyAnswer("/api/v1/ping", 200, '{"ping":"nope"}')).toBe(false);
    expect(isHealthyAnswer("/api/v1/ping", 429, '{"ping":"pong"}')).toBe(false);
    expect(isHealthyAnswer("/healthz", 204, "")).toBe(true);
  });
});

describe("pull progress", () => {
  it("aggregates bytes over layers and counts finished ones", () => {
    const t = createPullTracker();
    t.update({ id: "a", status: "Pulling fs layer" });
    t.update({ id: "b", status: "Pulling fs layer" });
    t.update({ id: "a", status: "Downloading", progressDetail: { current: 50, total: 100 } });
    const mid = t.update({ id: "b", status: "Downloading", progressDetail: { current: 0, total: 300 } });
    expect(mid.fraction).toBeCloseTo(0.9 * (50 / 400), 5);
    t.update({ id: "a", status: "Pull complete" });
    const end = t.update({ id: "b", status: "Pull complete" });
    expect(end.fraction).toBe(1);
    expect(end.detail).toContain("2/2 layers");
  });
});

describe("app container port", () => {
  const base = { Config: { Labels: {}, Env: [] as string[] }, HostConfig: { NetworkMode: "host", PortBindings: {} } };
  it("reads our label first, then APP_PORT on host networking, then the published port", () => {
    expect(portOf({ ...base, Config: { Labels: { "com.pixelfox.port": "4001" }, Env: [] } } as unknown as ContainerInspect)).toBe(4001);
    expect(portOf({ ...base, Config: { Labels: {}, Env: ["APP_PORT=4000"] } } as unknown as ContainerInspect)).toBe(4000);
    const bridge = {
      Config: { Labels: {}, Env: [] },
      HostConfig: { NetworkMode: "bridge", PortBindings: { "4000/tcp": [{ HostIp: "127.0.0.1", HostPort: "4001" }] } },
    };
    expect(portOf(bridge as unknown as ContainerInspect)).toBe(4001);
  });
});

describe("deploy settings and image references", () => {
  it("has operator defaults and refuses equal blue/green ports", () => {
    const s = ZDeploySettings.parse({});
    expect(s.healthAttempts).toBe(15);
    expect(s.keepPrevious).toBe(5);
    expect(ZDeploySettings.safeParse({ bluePort: 4000, greenPort: 4000 }).success).toBe(false);
  });

  it("uses @ for digests", () => {
    expect(imageReference("ghcr.io/o/pixelfox", "v1.0.0")).toBe("ghcr.io/o/pixelfox:v1.0.0");
    expect(imageReference("ghcr.io/o/pixelfox", `sha256:${"a".repeat(64)}`)).toBe(`ghcr.io/o/pixelfox@sha256:${"a".repeat(64)}`);
  });
});
