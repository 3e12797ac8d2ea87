import type Docker from "dockerode";
import { describe, expect, it } from "vitest";
import type { SshTarget } from "@/server/adapters/ssh/types";
import { createCandidate, LABELS, type AppContainer } from "./app-containers";

/** A Docker stand-in: the live container's inspect, its image's env, and the create call it receives. */
function fakeDocker(live: { env: string[]; labels: Record<string, string> }, imageEnv: string[]) {
  const created: Docker.ContainerCreateOptions[] = [];
  const docker = {
    getContainer: () => ({ inspect: async () => ({ Image: "sha256:old", Config: { Env: live.env, Labels: live.labels }, HostConfig: { NetworkMode: "host", Binds: [], LogConfig: { Type: "json-file", Config: {} } } }) }),
    getImage: () => ({ inspect: async () => ({ Config: { Env: imageEnv } }) }),
    createContainer: async (opts: Docker.ContainerCreateOptions) => { created.push(opts); return { id: "new" }; },
  } as unknown as Docker;
  return { docker, created };
}

const target = { name: "app" } as SshTarget;
const live = { id: "live", name: "pxlfox-app" } as AppContainer;
const spec = { image: "repo:v2", tag: "v2", port: 4001, name: "pxlfox-app-next-1", deploymentId: "d1", stackName: "pixelfox" };

describe("createCandidate", () => {
  it("copies the live env (minus the image's defaults) when the stack's env is not managed, and drops a stale env-version label", async () => {
    const { docker, created } = fakeDocker({ env: ["PATH=/bin", "DB_HOST=db", "APP_PORT=4000"], labels: { [LABELS.envVersion]: "3", keep: "me" } }, ["PATH=/bin"]);
    await createCandidate(docker, target, live, { ...spec, env: null });
    expect(created[0]?.Env).toEqual(["DB_HOST=db", "APP_PORT=4001"]);
    expect(created[0]?.Labels?.[LABELS.envVersion]).toBeUndefined();
    expect(created[0]?.Labels?.keep).toBe("me");
  });

  it("uses the managed env when there is one, labelled with its version, APP_PORT set by the deploy", async () => {
    const { docker, created } = fakeDocker({ env: ["DB_HOST=old"], labels: {} }, []);
    await createCandidate(docker, target, live, { ...spec, env: { version: 7, entries: ["DB_HOST=new", "APP_PORT=9999"] } });
    expect(created[0]?.Env).toEqual(["DB_HOST=new", "APP_PORT=4001"]);
    expect(created[0]?.Labels?.[LABELS.envVersion]).toBe("7");
  });

  it("builds a first deploy (no live container) from the managed env and the prod compose's volumes, on host network", async () => {
    const { docker, created } = fakeDocker({ env: [], labels: {} }, []);
    await createCandidate(docker, target, null, { ...spec, port: 4000, env: { version: 2, entries: ["APP_HOST=127.0.0.1", "APP_PORT=1"] } });
    expect(created[0]?.Env).toEqual(["APP_HOST=127.0.0.1", "APP_PORT=4000"]);
    expect(created[0]?.HostConfig?.Binds).toEqual(["/srv/pixelfox/uploads:/app/uploads", "/srv/pixelfox/tmp:/app/tmp"]);
    expect(created[0]?.HostConfig?.NetworkMode).toBe("host");
    expect(created[0]?.HostConfig?.RestartPolicy).toEqual({ Name: "always" });
    expect(created[0]?.Labels?.[LABELS.envVersion]).toBe("2");
  });

  it("refuses a first deploy without a managed env, saying what to do", async () => {
    const { docker, created } = fakeDocker({ env: [], labels: {} }, []);
    await expect(createCandidate(docker, target, null, { ...spec, env: null })).rejects.toThrow(/environment saved in the panel/);
    expect(created).toHaveLength(0);
  });
});
