import "@/server/jobs/testing/test-db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFakeDocker } from "@/server/adapters/docker/testing/fake-docker";
import type { ExecInput } from "@/server/adapters/docker";
import { db } from "@/server/db";
import { ZCreateStackInput } from "@/server/domain/inventory";
import type { Role } from "@/server/domain/roles";
import { removeTestDataDir } from "@/server/jobs/testing/test-db";
import type { ContainerSummary } from "@/server/services/hosts/normalize-container";
import { createStack } from "@/server/services/inventory/stacks";
import { admin, createPinnedHost, placeService } from "@/server/services/secrets/testing/fixtures";
import { describeContainersFor, setViewerLogsAllowed } from "./host-log-access";
import {
  listLogPresets,
  openContainerLogDownload,
  openContainerLogStream,
  openSlowLogStream,
  ZLogDownloadQuery,
  ZLogStreamQuery,
  ZSlowLogStreamQuery,
} from "./index";
import { decideContainerLogAccess, type HostLogScope } from "./log-access";

const execs: ExecInput[] = [];
const fake = createFakeDocker({
  exec: (_container, input) => {
    execs.push(input);
    input.stdout?.write("1\t/var/lib/mysql/slow.log\t/var/lib/mysql/\n");
    return { exitCode: 0 };
  },
});
let hostId = "";

beforeAll(async () => {
  const stack = await createStack(
    ZCreateStackInput.parse({ name: "logs", publicDomain: "https://pixelfox.example.test", imageRepository: "registry.example.test/app" }),
    admin,
  );
  const host = await createPinnedHost("web-1");
  hostId = host.id;
  await placeService(stack.id, host.id, "app", "pxlfox-app");
  await placeService(stack.id, host.id, "proxy", "pxlfox-proxy");
  await placeService(stack.id, host.id, "db", "pxlfox-db");
  for (const name of ["pxlfox-app", "pxlfox-proxy", "portainer"])
    fake.addContainer("web-1", { name, image: "x:1", logs: [`${name} line`] });
  fake.addContainer("web-1", {
    name: "pxlfox-db",
    image: "mariadb:11",
    env: ["MYSQL_USER=pixelfox", "MYSQL_PASSWORD=app-db-pass", "MYSQL_ROOT_PASSWORD=root-db-pass"],
  });
});

afterAll(async () => {
  await db.$disconnect();
  removeTestDataDir();
});

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

const viewerOf = (role: Role) => ({ kind: "user" as const, id: `u-${role}`, label: `${role.toLowerCase()}@test`, role });
const stream = (role: Role, container: string) =>
  openContainerLogStream(ZLogStreamQuery.parse({ host: "web-1", container }), { viewer: viewerOf(role), dockerFor: fake.connector });

describe("who may read which container's log", () => {
  const scope: HostLogScope = {
    hostName: "web-1",
    viewerLogsAllowed: false,
    services: [
      { kind: "app", containerName: "pxlfox-app" },
      { kind: "proxy", containerName: "pxlfox-proxy" },
    ],
  };

  it("lets viewers read the stack's service containers, the deploy's candidates and retained ones", () => {
    for (const c of ["pxlfox-app", "pxlfox-proxy", "pxlfox-app-next-1a2b3c4d", "pxlfox-app-prev-v1.2.0-20261201T101010"])
      expect(decideContainerLogAccess("VIEWER", scope, c), c).toEqual({ allowed: true });
  });

  it("refuses viewers any other container, naming it and what would allow it", () => {
    const decision = decideContainerLogAccess("VIEWER", scope, "portainer");
    expect(decision.allowed).toBe(false);
    expect(!decision.allowed && decision.reason).toMatch(/portainer on web-1 is not a container of a stack's service.*Log access/);
    expect(decideContainerLogAccess("VIEWER", scope, "pxlfox-proxy-next-1").allowed).toBe(false);
    expect(decideContainerLogAccess("VIEWER", scope, "a".repeat(12))).toMatchObject({ reason: expect.stringContaining("not its id") });
  });

  it("lets deployers and admins read every container, and viewers too where the host allows it", () => {
    for (const role of ["DEPLOYER", "ADMIN"] as const) expect(decideContainerLogAccess(role, scope, "portainer").allowed).toBe(true);
    expect(decideContainerLogAccess("VIEWER", { ...scope, viewerLogsAllowed: true }, "portainer").allowed).toBe(true);
  });
});

describe("the logs service enforces it", () => {
  it("streams a stack container to a viewer and refuses another with a 403 before anything reaches the host", async () => {
    expect(await readAll(await stream("VIEWER", "pxlfox-app"))).toContain("pxlfox-app line");
    const before = fake.calls.length;
    await expect(stream("VIEWER", "portainer")).rejects.toMatchObject({ code: "FORBIDDEN", message: expect.stringContaining("portainer") });
    await expect(
      openContainerLogDownload(ZLogDownloadQuery.parse({ host: "web-1", container: "portainer" }), {
        viewer: viewerOf("VIEWER"),
        dockerFor: fake.connector,
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(fake.calls.slice(before)).toEqual([]);
    expect(await readAll(await stream("DEPLOYER", "portainer"))).toContain("portainer line");
  });

  it("opens the host's other containers to viewers once an admin allows it, and audits the change", async () => {
    await setViewerLogsAllowed(hostId, true, admin);
    expect(await readAll(await stream("VIEWER", "portainer"))).toContain("portainer line");
    await setViewerLogsAllowed(hostId, false, admin);
    await expect(stream("VIEWER", "portainer")).rejects.toMatchObject({ code: "FORBIDDEN" });
    const audits = await db.auditEvent.findMany({ where: { action: "host.viewer-logs", target: "web-1" }, orderBy: { at: "asc" } });
    expect(audits.map((a) => JSON.parse(a.details) as unknown)).toEqual([
      { from: false, to: true },
      { from: true, to: false },
    ]);
  });

  it("marks on the host page which containers' logs the caller may open, and masks secret labels for non-admins", async () => {
    const summary = (name: string, labels: Record<string, string> = {}) => ({ name, labels }) as unknown as ContainerSummary;
    const list = [summary("pxlfox-app"), summary("portainer", { "traefik.http.middlewares.a.basicauth.users": "u:$apr1$hash" })];
    const forViewer = await describeContainersFor("VIEWER", hostId, list);
    expect(forViewer.map((c) => [c.name, c.canReadLogs])).toEqual([
      ["pxlfox-app", true],
      ["portainer", false],
    ]);
    expect(forViewer[1]!.labels).toEqual({ "traefik.http.middlewares.a.basicauth.users": "•••" });
    expect((await describeContainersFor("ADMIN", hostId, list))[1]!.labels["traefik.http.middlewares.a.basicauth.users"]).toBe(
      "u:$apr1$hash",
    );
  });
});

describe("the MySQL slow query log", () => {
  const slow = (role: Role) =>
    openSlowLogStream(ZSlowLogStreamQuery.parse({ host: "web-1", container: "pxlfox-db" }), {
      viewer: viewerOf(role),
      dockerFor: fake.connector,
    });

  it("is refused to viewers, and hidden from their presets", async () => {
    const before = fake.calls.length;
    await expect(slow("VIEWER")).rejects.toMatchObject({ code: "FORBIDDEN", message: expect.stringContaining("DEPLOYER") });
    expect(fake.calls.slice(before)).toEqual([]);
    expect((await listLogPresets("VIEWER")).map((p) => p.source)).toEqual(["proxy"]);
    expect((await listLogPresets("DEPLOYER")).map((p) => p.source).sort()).toEqual(["mysql-slow", "proxy"]);
  });

  it("is located with the app's own account, never root, and read by tail", async () => {
    await slow("DEPLOYER").then((s) => s.cancel());
    const locate = execs.find((e) => e.cmd[0] === "mariadb")!;
    expect(locate.cmd.slice(0, 2)).toEqual(["mariadb", "--user=pixelfox"]);
    expect(locate.env).toEqual(["MYSQL_PWD=app-db-pass"]);
    expect(JSON.stringify(execs.map((e) => [e.cmd, e.env]))).not.toContain("root");
    expect(fake.calls.some((c) => c.includes("exec-stream pxlfox-db sh -c") && c.endsWith("/var/lib/mysql/slow.log"))).toBe(true);
  });
});
