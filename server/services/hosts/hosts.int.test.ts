import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SshPool } from "@/server/adapters/ssh/pool";
import { loadFleet, type Fleet } from "@/server/adapters/ssh/testing/test-fleet";
import { startContainer, stopContainer } from "./container-actions";
import { listContainers } from "./list-containers";
import { testConnection } from "./test-connection";
import { createSshHostTransport } from "./transport";

let fleet: Fleet;
const pool = new SshPool({ readyTimeoutMs: 10_000 });
const transport = createSshHostTransport(pool);

beforeAll(async () => {
  fleet = await loadFleet();
});
afterAll(() => pool.closeAll());

describe("host services against the fleet", () => {
  it("tests the connection: latency, OS, kernel, Docker versions", async () => {
    const result = await testConnection(fleet.target("app"), transport);
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    expect(result.latencyMs).toBeLessThan(1000);
    expect(result.os).not.toBe("unknown");
    expect(result.kernel).toMatch(/^Linux \S+/);
    expect(result.dockerVersion).toMatch(/^\d+\.\d+/);
    expect(result.dockerApiVersion).toMatch(/^1\.\d+$/);
  });

  it("lists the app host's containers and not the db host's, and vice versa", async () => {
    const appNames = (await listContainers(fleet.target("app"), transport)).map((c) => c.name);
    expect(appNames).toEqual(expect.arrayContaining(["pxlfox-app", "pxlfox-proxy"]));
    expect(appNames).not.toContain("pxlfox-db");

    const dbList = await listContainers(fleet.target("db"), transport);
    const dbNames = dbList.map((c) => c.name);
    expect(dbNames).toContain("pxlfox-db");
    expect(dbNames).not.toContain("pxlfox-app");
    expect(dbNames).not.toContain("pxlfox-proxy");

    const db = dbList.find((c) => c.name === "pxlfox-db")!;
    expect(db.state).toBe("running");
    expect(db.id).toMatch(/^[a-f0-9]{64}$/);
    expect(db.startedAt).toBeDefined();
    expect(db.uptimeSeconds).toBeGreaterThanOrEqual(0);
  });

  it("starting a running container is a no-op, and a missing one is NOT_FOUND naming the host", async () => {
    await expect(startContainer(fleet.target("app"), "pxlfox-app", transport)).resolves.toEqual({
      container: "pxlfox-app",
      changed: false,
    });
    const error = await stopContainer(fleet.target("app"), "pxlfox-nope", {}, transport).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "NOT_FOUND", host: "app" });
    expect((error as Error).message).toMatch(/^Container pxlfox-nope not found on app \(10\.213\.77\.11:22\)/);
  });
});
