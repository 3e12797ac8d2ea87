import { describe, expect, it } from "vitest";
import { caddyfileAccessFor } from "./caddyfile-access";
import { findCaddyfile, type CaddyContainerInspect } from "./find-caddyfile";
import { createFakeRunner } from "./testing/fake-runner";

const CADDY2_CMD = ["caddy", "run", "--config", "/etc/caddy/Caddyfile", "--adapter", "caddyfile"];
/** The plan's proxy.compose.yml: caddy:2 with its default command, the host's Caddyfile mounted read-only. */
const planProxy: CaddyContainerInspect = {
  Config: { Cmd: CADDY2_CMD, Entrypoint: null, WorkingDir: "/srv" },
  Mounts: [
    { Type: "bind", Source: "/srv/caddy/Caddyfile", Destination: "/etc/caddy/Caddyfile", RW: false },
    { Type: "bind", Source: "/srv/caddy/data", Destination: "/data", RW: true },
    { Type: "bind", Source: "/srv/caddy/config", Destination: "/config", RW: true },
  ],
};

describe("finding the Caddyfile a Caddy container runs from", () => {
  it("reads the plan's container: the in-container path, its host file and the read-only mount", () => {
    expect(findCaddyfile(planProxy)).toEqual({
      path: "/etc/caddy/Caddyfile",
      hostPath: "/srv/caddy/Caddyfile",
      isReadOnlyInContainer: true,
      isResume: false,
    });
  });

  it("maps through a directory mount and sees --resume, also in Go's -flag=value form", () => {
    const inspect: CaddyContainerInspect = {
      Config: { Entrypoint: ["/usr/bin/caddy"], Cmd: ["run", "-config=/etc/caddy/sites/Caddyfile.prod", "--resume"] },
      Mounts: [
        { Source: "/opt/proxy", Destination: "/etc/caddy", RW: true },
        { Source: "/opt/sites", Destination: "/etc/caddy/sites", RW: true },
      ],
    };
    expect(findCaddyfile(inspect)).toEqual({
      path: "/etc/caddy/sites/Caddyfile.prod",
      hostPath: "/opt/sites/Caddyfile.prod",
      isReadOnlyInContainer: false,
      isResume: true,
    });
  });

  it("reads a command given through sh -c, and a Caddyfile baked into the image (no host file)", () => {
    const inspect: CaddyContainerInspect = {
      Config: { Entrypoint: ["/bin/sh", "-c"], Cmd: ["exec caddy run --config /etc/caddy/Caddyfile --adapter caddyfile"] },
    };
    expect(findCaddyfile(inspect)).toMatchObject({ path: "/etc/caddy/Caddyfile", hostPath: null });
  });

  it("without --config, takes ./Caddyfile in the working directory, as caddy run does", () => {
    expect(findCaddyfile({ Config: { Cmd: ["caddy", "run"], WorkingDir: "/app" } })).toMatchObject({ path: "/app/Caddyfile" });
  });

  it("says there is no Caddyfile for a JSON config or another adapter, or a container that is not Caddy", () => {
    expect(findCaddyfile({ Config: { Cmd: ["caddy", "run", "--config", "/etc/caddy/caddy.json", "--resume"] } })).toBeNull();
    expect(findCaddyfile({ Config: { Cmd: ["caddy", "run", "--config", "/etc/caddy/x.yaml", "--adapter", "yaml"] } })).toBeNull();
    expect(findCaddyfile({ Config: { Cmd: ["nginx", "-g", "daemon off;"] } })).toBeNull();
  });
});

describe("reaching the container's Caddyfile", () => {
  it("writes the host file behind the mount over SSH and checks with caddy adapt in the container", async () => {
    const location = findCaddyfile(planProxy)!;
    const onHost = createFakeRunner(() => ({ stdout: "x" }), "on app");
    const inContainer = createFakeRunner(() => ({}));
    const access = caddyfileAccessFor(location, { inContainer, onHost });
    expect(access.path).toBe("/etc/caddy/Caddyfile");
    expect(access.files.locate(access.path)).toBe("/srv/caddy/Caddyfile");
    expect(await access.files.read(access.path)).toBe("x");
    expect(onHost.calls[0]?.argv.at(-1)).toBe("/srv/caddy/Caddyfile");
    expect(access.runner).toBe(inContainer);
  });
});
