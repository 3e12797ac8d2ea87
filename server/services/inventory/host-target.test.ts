process.env.PANEL_SECRET ??= "unit-test-secret-unit-test-secret-0123456789";
import type { Host } from "@prisma/client";
import { describe, expect, it } from "vitest";
import { usableTarget } from "./host-target";

const host = (state: string): Host =>
  ({
    id: "h1",
    name: "app",
    address: "10.0.0.1",
    sshPort: 22,
    sshUser: "root",
    hostKeyState: state,
    hostKeyFingerprint: "SHA256:a",
    presentedFingerprint: "SHA256:b",
    dockerSocket: "/run/docker.sock",
  }) as unknown as Host;

describe("usableTarget", () => {
  it("refuses a host whose key changed, naming what the panel was about to do", () => {
    expect(() => usableTarget(host("CHANGED"), "reading its logs")).toThrow(
      /^Host key of app changed: nothing is sent to it \(reading its logs\) until an admin verifies and re-pins the new key$/,
    );
  });

  it("refuses an unpinned host with the fix", () => {
    expect(() => usableTarget(host("UNPINNED"), "deploying")).toThrow(
      "Host app has no verified host key (unpinned): verify and pin it before deploying",
    );
  });
});
