import { describe, expect, it } from "vitest";
import { createFakeDocker } from "@/server/adapters/docker/testing/fake-docker";
import type { SshTarget } from "@/server/adapters/ssh/types";
import { createCandidate, listAppContainers, LABELS } from "./app-containers";

const target = { name: "app" } as SshTarget;
const spec = { image: "repo:v2", tag: "v2", port: 4001, name: "pxlfox-app-next-1", deploymentId: "d1", stackName: "pixelfox" };

/** A host whose live container runs `repo:v1` (with that image's own env) and has `repo:v2` pulled. */
async function hostWithLive(live: { env: string[]; labels: Record<string, string> } | null, imageEnv: string[]) {
  const fake = createFakeDocker();
  fake.addImage("app", "repo:v1", { env: imageEnv });
  fake.addImage("app", "repo:v2");
  if (live)
    fake.addContainer("app", {
      name: "pxlfox-app",
      image: "repo:v1",
      env: live.env,
      labels: live.labels,
      hostConfig: { NetworkMode: "host", Binds: [], LogConfig: { Type: "json-file", Config: {} } },
    });
  const docker = fake.connector(target);
  const found = live ? (await listAppContainers(docker, "pxlfox-app"))[0]! : null;
  return { fake, docker, live: found, created: () => fake.container("app", spec.name) };
}

describe("createCandidate", () => {
  it("copies the live env (minus the image's defaults) when the stack's env is not managed, and drops a stale env-version label", async () => {
    const h = await hostWithLive({ env: ["PATH=/bin", "DB_HOST=db", "APP_PORT=4000"], labels: { [LABELS.envVersion]: "3", keep: "me" } }, [
      "PATH=/bin",
    ]);
    await createCandidate(h.docker, h.live, { ...spec, env: null });
    expect(h.created()?.env).toEqual(["DB_HOST=db", "APP_PORT=4001"]);
    expect(h.created()?.labels[LABELS.envVersion]).toBeUndefined();
    expect(h.created()?.labels.keep).toBe("me");
  });

  it("uses the managed env when there is one, labelled with its version, APP_PORT set by the deploy", async () => {
    const h = await hostWithLive({ env: ["DB_HOST=old"], labels: {} }, []);
    await createCandidate(h.docker, h.live, { ...spec, env: { version: 7, entries: ["DB_HOST=new", "APP_PORT=9999"] } });
    expect(h.created()?.env).toEqual(["DB_HOST=new", "APP_PORT=4001"]);
    expect(h.created()?.labels[LABELS.envVersion]).toBe("7");
  });

  it("builds a first deploy (no live container) from the managed env and the prod compose's volumes, on host network", async () => {
    const h = await hostWithLive(null, []);
    await createCandidate(h.docker, null, { ...spec, port: 4000, env: { version: 2, entries: ["APP_HOST=127.0.0.1", "APP_PORT=1"] } });
    expect(h.created()?.env).toEqual(["APP_HOST=127.0.0.1", "APP_PORT=4000"]);
    expect(h.created()?.hostConfig.Binds).toEqual(["/srv/pixelfox/uploads:/app/uploads", "/srv/pixelfox/tmp:/app/tmp"]);
    expect(h.created()?.hostConfig.NetworkMode).toBe("host");
    expect(h.created()?.hostConfig.RestartPolicy).toEqual({ Name: "always" });
    expect(h.created()?.labels[LABELS.envVersion]).toBe("2");
  });

  it("refuses a first deploy without a managed env, saying what to do", async () => {
    const h = await hostWithLive(null, []);
    await expect(createCandidate(h.docker, null, { ...spec, env: null })).rejects.toThrow(/environment saved in the panel/);
    expect(h.created()).toBeUndefined();
  });
});
