/** up / down orchestration. */
import fs from "node:fs";
import path from "node:path";
import { LOG_DIR, RUN_DIR, STATE_DIR, hostRunDir, hostStateDir } from "./paths.js";
import {
  CORE_HOSTS,
  MAX_BARE,
  MAX_EXTRA,
  PLAN_HOSTS,
  allHosts,
  bareHost,
  bareHosts,
  extraHost,
  readBareCount,
  readExtraCount,
  writeBareCount,
  writeExtraCount,
  type HostSpec,
} from "./hosts.js";
import { ensureMountNs, hostSrvDir, hostSysctlDir, removeMountNs } from "./mountns.js";
import { ensurePlanStacks } from "./plan.js";
import { ensureAptPackages } from "./apt.js";
import { ensureBridge, ensureHostNet, removeAllNet, removeHostNet, setMigrateReq } from "./net.js";
import { docker, dockerOk, ensureDockerd, stopDockerd } from "./dockerd.js";
import { ensurePanelKey, ensureSshd } from "./sshd.js";
import { resetUfw } from "./firewall.js";
import { ensureRegistry, ensureRegistryForward } from "./registry.js";
import { ensureS3 } from "./s3.js";
import { ensureContainers, publishAppImages } from "./containers.js";
import { ensureSecrets, withFleetLock } from "./state.js";
import { buildAllImages } from "./images.js";
import { log, stopDaemon, trackedIds } from "./proc.js";

/** Run `fn` over items with at most `n` at a time. */
async function pool<T>(items: T[], n: number, fn: (x: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: Math.min(n, queue.length) }, async () => {
      for (let x = queue.shift(); x !== undefined; x = queue.shift()) await fn(x);
    }),
  );
}

async function ensureHost(h: HostSpec): Promise<void> {
  fs.mkdirSync(hostRunDir(h.name), { recursive: true });
  await ensureHostNet(h);
  await ensureMountNs(h);
  await ensureRegistryForward(h);
  await ensureSshd(h);
  await ensureDockerd(h);
}

async function stopHost(name: string): Promise<void> {
  await stopDockerd({ name });
  for (const { id } of trackedIds().filter(({ id }) => id.startsWith(`${name}.`))) await stopDaemon(id, 5000);
}

async function removeHost(h: HostSpec): Promise<void> {
  await stopHost(h.name);
  await removeMountNs(h);
  await removeHostNet(h);
  fs.rmSync(hostStateDir(h.name), { recursive: true, force: true });
}

export interface UpOptions {
  extra?: number;
  /** Bare hosts (sshd + Docker only) for provisioning, besides bare-nodocker (default: as recorded, 4). */
  bare?: number;
}

export function up(opts: UpOptions = {}): Promise<void> {
  return withFleetLock("up", () => doUp(opts));
}

async function doUp(opts: UpOptions): Promise<void> {
  const t0 = Date.now();
  await ensureAptPackages();
  for (const d of [STATE_DIR, RUN_DIR, LOG_DIR]) fs.mkdirSync(d, { recursive: true });
  const secrets = ensureSecrets();
  const prevExtra = readExtraCount();
  const extra = opts.extra ?? prevExtra;
  if (!Number.isInteger(extra) || extra < 0 || extra > MAX_EXTRA) throw new Error(`--extra must be 0..${MAX_EXTRA}`);
  // shrink: remove extras no longer wanted
  for (let i = extra; i < prevExtra; i++) await removeHost(extraHost(i));
  writeExtraCount(extra);
  const prevBare = readBareCount();
  const bare = opts.bare ?? prevBare;
  if (!Number.isInteger(bare) || bare < 0 || bare > MAX_BARE) throw new Error(`--bare must be 0..${MAX_BARE}`);
  for (let i = bare; i < prevBare; i++) await removeHost(bareHost(i));
  writeBareCount(bare);

  // image tarballs build in the background (debootstrap takes a while) while hosts come up
  const images = buildAllImages();
  images.catch(() => undefined);
  await ensureBridge();
  await ensurePanelKey();
  await ensureRegistry(secrets);
  await ensureS3();
  await Promise.all(CORE_HOSTS.map(ensureHost));
  await pool([...PLAN_HOSTS, ...bareHosts(bare)], 4, ensureHost);
  const extras = allHosts(extra, bare).filter((h) => h.plain);
  if (extras.length) {
    log(`ensuring ${extras.length} extra plain host(s)…`);
    await pool(extras, 4, ensureHost);
  }

  const pushed = await publishAppImages(secrets); // waits only for the app tarballs
  if (pushed.length) log(`pushed app tags: ${pushed.join(", ")}`);
  await ensureContainers(secrets);
  await ensurePlanStacks(secrets);
  await images;
  log(`up: fleet healthy (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
}

/**
 * Bare hosts back to bare (for the provisioning tests): every container, image and volume removed,
 * their /srv emptied. Only bare hosts are ever touched.
 */
export function resetBare(): Promise<void> {
  return withFleetLock("reset-bare", async () => {
    for (const h of bareHosts().filter((x) => x.docker !== "none")) {
      const ids = (await docker(h, ["ps", "-aq"])).stdout.split("\n").filter(Boolean);
      if (ids.length) await dockerOk(h, ["rm", "-f", ...ids]);
      await docker(h, ["image", "prune", "-af"]);
      await docker(h, ["volume", "prune", "-f"]);
    }
    // Empty, not re-create: the directories are bind-mounted as the host's /srv and /etc/sysctl.d.
    for (const h of bareHosts()) {
      emptyDir(hostSrvDir(h));
      emptyDir(hostSysctlDir(h));
      await setMigrateReq(h, 0);
    }
    log(
      `reset-bare: ${bareHosts()
        .map((h) => h.name)
        .join(", ")} are bare again`,
    );
  });
}

/**
 * The plan-laid stacks back to how the templates set them up (for the adoption tests): their
 * containers and /srv removed, then created again as on a first `up`.
 */
export function resetPlan(): Promise<void> {
  return withFleetLock("reset-plan", async () => {
    for (const h of PLAN_HOSTS) {
      const ids = (await docker(h, ["ps", "-aq"])).stdout.split("\n").filter(Boolean);
      if (ids.length) await dockerOk(h, ["rm", "-f", ...ids]);
      emptyDir(hostSrvDir(h));
      emptyDir(hostSysctlDir(h));
      await setMigrateReq(h, 0);
      // A firewall or sshd setting changed since (by the audit tests' fixes) goes back to the plan's.
      await resetUfw(h);
      await ensureSshd(h);
    }
    await ensurePlanStacks(ensureSecrets());
    log("reset-plan: plan and plannx are as the templates set them up");
  });
}

function emptyDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const entry of fs.readdirSync(dir)) fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
}

export function down(): Promise<void> {
  return withFleetLock("down", doDown);
}

async function doDown(): Promise<void> {
  const t0 = Date.now();
  // dockerds first (they stop their containers), in parallel
  const hostNames = new Set([
    ...allHosts().map((h) => h.name),
    ...trackedIds()
      .map(({ id }) => id.split(".")[0] ?? id)
      .filter((n) => !n.startsWith("registry") && n !== "s3"),
  ]);
  await Promise.all([...hostNames].map((name) => stopDockerd({ name })));
  const rest = trackedIds().sort((a, b) => a.rec.stopOrder - b.rec.stopOrder);
  for (const { id } of rest) await stopDaemon(id, 5000);
  for (const name of hostNames) await removeMountNs({ name });
  await removeAllNet();
  fs.rmSync(RUN_DIR, { recursive: true, force: true });
  log(`down: stopped (${((Date.now() - t0) / 1000).toFixed(1)}s); caches and state kept`);
}
