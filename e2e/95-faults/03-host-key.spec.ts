import { readFileSync, statSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { logFile } from "../../fleet/lib/proc";
import { rekeyHost, restoreHostKey } from "../../fleet/lib/sshd";
import { faultScenario } from "../support/fault-table";
import { killSshd } from "../support/host-faults";
import { panelCli } from "../support/panel";
import { trpcMutation, trpcQuery } from "../support/trpc";
import { FaultPanel, until } from "./fault-panel";

// A host's SSH key changed under the panel (a reinstalled VPS, or someone in the middle).

test.describe.configure({ mode: "serial" });

const panel = new FaultPanel(3204, "/tmp/pxf-e2e-faults-hostkey");

test.beforeAll(async ({ playwright }) => {
  test.setTimeout(120_000);
  await panel.setUp(playwright);
});
test.afterAll(async () => {
  await restoreHostKey("cache");
  // The shared e2e panel saw the changed key too: back to the fleet's own record for the specs that follow.
  panelCli(["fleet", "import"]);
  await panel.tearDown();
});

type Host = { name: string; hostKeyState: string };
type AlertEvent = { ruleKind: string; subject: string; status: string; message: string };

faultScenario(
  "cache host's key changed during a health sweep",
  "the new key is refused (the host shows down: host key changed), an alert fires, and nothing is sent to the host: it sees no login",
  async (_args, observe) => {
    test.setTimeout(120_000);
    await trpcMutation(panel.api, "health.checkNow", { stack: "pixelfox" });
    const sshdLog = logFile("cache.sshd");
    // The sweep under way loses its connections: every sshd process of the host dies, then the host comes back with a new key.
    const sweep = trpcMutation(panel.api, "health.checkNow", { stack: "pixelfox" }).catch((err: Error) => err);
    killSshd("cache");
    const logFrom = statSync(sshdLog).size;
    const fingerprint = await rekeyHost("cache");
    observe(`cache rekeyed mid-sweep (now ${fingerprint.slice(0, 19)}…)`);
    await sweep;
    // The sweep under way saw its connection die; one of the next (a new connection) meets the new key.
    let sweeps = 0;
    const host = await until(
      "a sweep that meets the new key",
      async () => {
        sweeps++;
        await trpcMutation(panel.api, "health.checkNow", { stack: "pixelfox" });
        const h = (await trpcQuery<Host[]>(panel.api, "host.list", {})).find((x) => x.name === "cache")!;
        return h.hostKeyState === "CHANGED" || sweeps >= 3 ? h : undefined;
      },
      60_000,
    );
    expect(host.hostKeyState).toBe("CHANGED");
    observe(`host key state: ${host.hostKeyState} after ${sweeps} sweep(s)`);
    const alert = (await trpcQuery<AlertEvent[]>(panel.api, "alerts.history", {})).find(
      (a) => a.ruleKind === "hostkey" && a.subject.includes("cache") && a.status === "firing",
    );
    expect(alert, "a firing host-key alert for cache").toBeDefined();
    observe(`alert firing: "${alert!.message.slice(0, 90)}"`);
    // The host's own log since the new key: connections came and went before authentication, no login.
    const since = readFileSync(sshdLog, "utf8").slice(logFrom);
    expect(since).not.toMatch(/Accepted publickey/);
    const refused = since.split("\n").filter((l) => /preauth|Connection closed|disconnect/i.test(l)).length;
    observe(`cache's sshd log since the new key: 0 logins, ${refused} connection(s) closed before authentication`);
  },
);
