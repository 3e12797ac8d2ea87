import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { panelCli, signIn } from "../support/panel";
import { trpcMutation, trpcQuery } from "../support/trpc";
import { pressCheckNow } from "../support/check-now";

test.describe.configure({ mode: "serial" });

const ADMIN = { email: "admin@pixelfox.test", password: "a-very-long-admin-password" };
const EXTRAS_FILE = "/var/lib/pixelfox-fleet/extras.json";

const fleet = (args: string[]) =>
  execFileSync(process.execPath, ["--import", "tsx", "fleet/cli.ts", ...args], { encoding: "utf8", timeout: 300_000 });
/** The fleet's own sshd control (stop/start of host x100's daemon), as `npm run fleet` would. */
const sshd = (action: "stopSshd" | "startSshd") =>
  execFileSync(process.execPath, ["--import", "tsx", "-e", `import("./fleet/lib/index.ts").then((m) => m.${action}("x100"))`], {
    encoding: "utf8",
    timeout: 60_000,
  });
/** Drop (or stop dropping) every packet to x100's SSH port, inside its network namespace. */
const firewall = (op: "-I" | "-D") =>
  execFileSync("ip", ["netns", "exec", "pxf-x100", "iptables", op, "INPUT", "-p", "tcp", "--dport", "22", "-j", "DROP"]);

const row = (page: Page) => page.getByTestId("other-host-x100");

async function checkOtherHosts(page: Page) {
  await pressCheckNow(page, page.getByTestId("other-hosts").getByRole("button", { name: "Check now" }), "health.checkOtherHosts");
}

test("a host in no stack is checked, shows why it is down when it stops answering, and recovers by itself", async ({ page }) => {
  test.setTimeout(420_000);
  const extrasBefore = fs.existsSync(EXTRAS_FILE)
    ? Number((JSON.parse(fs.readFileSync(EXTRAS_FILE, "utf8")) as { count?: number }).count ?? 0)
    : 0;
  fleet(["up", "--extra", String(Math.max(1, extrasBefore))]);
  let blocked = false;
  let stopped = false;
  try {
    panelCli(["fleet", "import"]);
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.goto("/");
    await expect(page.getByTestId("other-hosts")).toBeVisible();
    await checkOtherHosts(page);
    await expect(row(page)).toHaveAttribute("data-status", "ok");
    await expect(row(page)).toContainText(/CPU [\d.]+ % · IO wait [\d.]+ % · load [\d.]+ · memory [\d.]+ % · disk [\d.]+ %/);
    // Its page shows its figures and charts its recorded samples like any stack host's.
    await row(page).getByRole("link", { name: "x100" }).click();
    await expect(page.getByTestId("host-status")).toHaveText("ok");
    await expect(page.getByText("in no stack")).toBeVisible();
    await expect(page.getByTestId("mount-/")).toBeVisible();
    await expect(page.getByTestId("chart-cpu")).not.toHaveAttribute("data-points", "0");
    await expect(page.locator("[data-testid=chart-cpu] canvas")).toBeVisible();
    await page.goto("/");

    // Packets dropped: the pooled connection hangs, the check gives up at its deadline.
    firewall("-I");
    blocked = true;
    await checkOtherHosts(page);
    await expect(row(page)).toHaveAttribute("data-status", "down");
    await expect(row(page).getByTestId("other-host-reason")).toContainText(/^timeout: /);
    // Until keepalives drop the dead connection; then a fresh connect times out in the handshake.
    await expect(async () => {
      await checkOtherHosts(page);
      await expect(row(page).getByTestId("other-host-reason")).toContainText(/timeout: .*handshake/i, { timeout: 1000 });
    }).toPass({ timeout: 120_000 });

    // sshd stopped, network back: the connection is refused.
    sshd("stopSshd");
    stopped = true;
    firewall("-D");
    blocked = false;
    await expect(async () => {
      await checkOtherHosts(page);
      await expect(row(page).getByTestId("other-host-reason")).toContainText(/^refused: /, { timeout: 1000 });
    }).toPass({ timeout: 60_000 });

    // Back by itself once sshd answers again: no panel restart, no button other than the probe's own.
    sshd("startSshd");
    stopped = false;
    await expect(async () => {
      await checkOtherHosts(page);
      await expect(row(page)).toHaveAttribute("data-status", "ok", { timeout: 1000 });
    }).toPass({ timeout: 90_000 });

    // It was down for more than two checks in a row: the "down" rule fired, and it recovered.
    await page.goto("/alerts");
    const event = page.getByTestId("alert-event").filter({ hasText: "host:x100" }).first();
    await expect(event).toHaveAttribute("data-status", "resolved");
  } finally {
    if (blocked) firewall("-D");
    if (stopped) sshd("startSshd");
    const hosts = await trpcQuery<{ id: string; name: string }[]>(page.request, "host.list", undefined).catch(() => []);
    const x100 = hosts.find((h) => h.name === "x100");
    if (x100) await trpcMutation(page.request, "host.delete", { id: x100.id }).catch(() => undefined);
    fleet(["up", "--extra", String(extrasBefore)]);
  }
});
