import type { ContainerInspect, ContainerSummaryInfo, PortInfo } from "@/server/adapters/docker";
import { describe, expect, it } from "vitest";
import { normalizeContainer, parseImageRef } from "./normalize-container";

const now = new Date("2025-01-01T12:00:00Z");

function info(overrides: Partial<ContainerSummaryInfo> = {}): ContainerSummaryInfo {
  return {
    Id: "a".repeat(64),
    Names: ["/pxlfox-app"],
    Image: "127.0.0.1:5000/pixelfox/app:v1.1.0",
    ImageID: "sha256:" + "b".repeat(64),
    Command: "/app",
    Created: Date.parse("2025-01-01T11:00:00Z") / 1000,
    Ports: [
      { IP: "127.0.0.1", PrivatePort: 3000, PublicPort: 4000, Type: "tcp" },
      { IP: "127.0.0.1", PrivatePort: 3000, PublicPort: 4000, Type: "tcp" },
      { PrivatePort: 9000, Type: "tcp" } as PortInfo,
    ],
    Labels: { "com.pixelfox.role": "app" },
    State: "running",
    Status: "Up 1 hour (healthy)",
    HostConfig: { NetworkMode: "host" },
    NetworkSettings: { Networks: {} },
    Mounts: [],
    ...overrides,
  };
}

function inspect(state: Partial<ContainerInspect["State"]>, image = "127.0.0.1:5000/pixelfox/app:v1.1.0") {
  return {
    Name: "/pxlfox-app",
    Config: { Image: image },
    State: { StartedAt: "2025-01-01T11:30:00.123456789Z", ...state },
  } as unknown as ContainerInspect;
}

describe("normalizeContainer", () => {
  it("normalizes a running, healthy container", () => {
    const summary = normalizeContainer(info(), inspect({ Health: { Status: "healthy", FailingStreak: 0, Log: [] } }), now);
    expect(summary).toEqual({
      id: "a".repeat(64),
      name: "pxlfox-app",
      image: "127.0.0.1:5000/pixelfox/app",
      tag: "v1.1.0",
      state: "running",
      status: "Up 1 hour (healthy)",
      health: "healthy",
      createdAt: "2025-01-01T11:00:00.000Z",
      startedAt: "2025-01-01T11:30:00.123Z",
      uptimeSeconds: 1799,
      ports: [
        { ip: "127.0.0.1", privatePort: 3000, publicPort: 4000, type: "tcp" },
        { ip: "", privatePort: 9000, type: "tcp" },
      ],
      labels: { "com.pixelfox.role": "app" },
    });
  });

  it.each(["unhealthy", "starting"] as const)("reads %s health from inspect", (status) => {
    expect(normalizeContainer(info(), inspect({ Health: { Status: status, FailingStreak: 1, Log: [] } }), now).health).toBe(status);
  });

  it("reports no health, start time or uptime for a stopped container", () => {
    const summary = normalizeContainer(info({ State: "exited", Status: "Exited (0) 2 minutes ago" }), undefined, now);
    expect(summary.health).toBe("none");
    expect(summary.startedAt).toBeUndefined();
    expect(summary.uptimeSeconds).toBeUndefined();
  });

  it("falls back to the list's image when the container was created from an image id", () => {
    const summary = normalizeContainer(info({ Image: "redis:7-alpine" }), inspect({}, "sha256:" + "c".repeat(64)), now);
    expect(summary).toMatchObject({ image: "redis", tag: "7-alpine" });
  });
});

describe("parseImageRef", () => {
  it.each([
    ["redis", { image: "redis", tag: "latest" }],
    ["redis:7", { image: "redis", tag: "7" }],
    ["127.0.0.1:5000/pixelfox/app", { image: "127.0.0.1:5000/pixelfox/app", tag: "latest" }],
    ["127.0.0.1:5000/pixelfox/app:v1.2.0-broken", { image: "127.0.0.1:5000/pixelfox/app", tag: "v1.2.0-broken" }],
    ["app:v1@sha256:" + "d".repeat(64), { image: "app", tag: "v1" }],
    ["app@sha256:" + "d".repeat(64), { image: "app", tag: null }],
    ["sha256:" + "e".repeat(64), { image: "sha256:" + "e".repeat(64), tag: null }],
  ])("%s", (ref, expected) => {
    expect(parseImageRef(ref)).toEqual(expected);
  });
});
