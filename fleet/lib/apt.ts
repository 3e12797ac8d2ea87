/** Install the Debian packages listed in fleet/apt-packages.txt when any is missing. */
import fs from "node:fs";
import path from "node:path";
import { FLEET_DIR } from "./paths.js";
import { log, run, runOk } from "./proc.js";

export function aptPackages(): string[] {
  return fs
    .readFileSync(path.join(FLEET_DIR, "apt-packages.txt"), "utf8")
    .split("\n")
    .map((l) => l.replace(/#.*/, "").trim())
    .filter(Boolean);
}

async function installed(pkg: string): Promise<boolean> {
  const r = await run("dpkg-query", ["-W", "-f=${Status}", pkg]);
  return r.code === 0 && r.stdout.includes("install ok installed");
}

const POLICY_RC = "/usr/sbin/policy-rc.d";

export async function ensureAptPackages(): Promise<void> {
  const pkgs = aptPackages();
  const missing: string[] = [];
  for (const p of pkgs) if (!(await installed(p))) missing.push(p);
  if (missing.length === 0) return;
  log(`installing Debian packages: ${missing.join(" ")}`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  // Keep package scripts from starting the system-wide redis/sshd/dockerd: the fleet runs its own.
  const hadPolicy = fs.existsSync(POLICY_RC);
  if (!hadPolicy) fs.writeFileSync(POLICY_RC, "#!/bin/sh\nexit 101\n", { mode: 0o755 });
  try {
    await runOk("apt-get", ["update"], { env });
    await runOk("apt-get", ["install", "-y", "--no-install-recommends", ...missing], { env });
  } finally {
    if (!hadPolicy) fs.rmSync(POLICY_RC, { force: true });
  }
}
