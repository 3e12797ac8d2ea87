import { expect, test } from "@playwright/test";
import { deployViaApi, waitForJob } from "../support/api";
import { dockerApi, fleetHost, fleetStatus } from "../support/fleet";
import { panelCli } from "../support/panel";
import { servedVersion } from "../support/traffic";

interface Listed {
  Id: string;
  Names: string[];
  State: string;
}
interface Inspected {
  Name: string;
  State: { Running: boolean };
  HostConfig: { RestartPolicy: { Name: string } };
}

async function retained(socket: string) {
  const list = await dockerApi<Listed[]>(socket, "GET", "/containers/json?all=1");
  const prev = list.body.filter((c) => c.Names.some((n) => n.startsWith("/pxlfox-app-prev-")));
  return Promise.all(prev.map(async (c) => (await dockerApi<Inspected>(socket, "GET", `/containers/${c.Id}/json`)).body));
}

test.beforeAll(() => {
  panelCli(["fleet", "import"]);
});

test("retained containers never restart by themselves; one found running (as after a host reboot) is stopped and the deploy goes on", async ({
  request,
}) => {
  test.setTimeout(180_000);
  const pingUrl = `${fleetStatus().stack.publicDomain}/api/v1/ping`;
  const app = fleetHost("app");
  const token = panelCli(["token", "create", "--name", "retained-test", "--role", "deployer"]).trim().split("\n").pop() ?? "";
  const other = (v: string | null) => (v === "v1.1.0" ? "v1.0.0" : "v1.1.0");

  // One deploy so that the host holds a retained container of the version before.
  const first = await deployViaApi(request, token, other(await servedVersion(pingUrl)));
  expect((await waitForJob(request, token, first.body.jobId)).status).toBe("succeeded");
  const kept = await retained(app.dockerSocket);
  expect(kept.length).toBeGreaterThan(0);
  for (const c of kept) {
    expect(c.State.Running, `${c.Name} should be stopped`).toBe(false);
    // "no": the Docker daemon will not start it again when it (or the host) restarts.
    expect(c.HostConfig.RestartPolicy.Name, `${c.Name}'s restart policy`).toBe("no");
  }

  // What a daemon restart did to retained containers made by earlier versions: policy "always", running again.
  const back = kept[0]!;
  const name = back.Name.replace(/^\//, "");
  expect((await dockerApi(app.dockerSocket, "POST", `/containers/${name}/update`, { RestartPolicy: { Name: "always" } })).status).toBe(200);
  expect((await dockerApi(app.dockerSocket, "POST", `/containers/${name}/start`)).status).toBe(204);

  const before = await servedVersion(pingUrl);
  const second = await deployViaApi(request, token, other(before));
  const job = await waitForJob(request, token, second.body.jobId);
  expect(job.status, job.error ?? "").toBe("succeeded");
  expect(await servedVersion(pingUrl)).toBe(other(before));
  const log = await request.get(`/api/v1/jobs/${second.body.jobId}/logs`, { headers: { authorization: `Bearer ${token}` } });
  expect(await log.text()).toContain(`${name} (`);
  for (const c of await retained(app.dockerSocket)) {
    expect(c.State.Running, `${c.Name} should be stopped`).toBe(false);
    expect(c.HostConfig.RestartPolicy.Name, `${c.Name}'s restart policy`).toBe("no");
  }
});
