import type { SshTarget } from "@/server/adapters/ssh/types";
import { db } from "@/server/db";
import { AppError, isAppError } from "@/server/errors";
import { recordAuditEvent } from "@/server/services/audit/record-audit-event";
import type { Actor } from "@/server/services/auth/actor";
import { usableTarget } from "@/server/services/inventory/host-target";
import { getStackRow } from "@/server/services/inventory/stacks";
import { saveEnvVersion, type EnvVersionView } from "./app-env";
import { deployEnv, envVersionEntries } from "./deploy-env";
import type { EnvChange } from "./env-format";
import { describeChanges, judgeHostEnvText, type HostEnvState } from "./host-env-drift";
import { HOST_ENV_FILE, readHostEnvFile, writeHostEnvFile } from "./host-env-file";

/** Reads and writes a host's .env: the real one is over pooled SSH; unit tests pass fakes. */
export interface HostEnvFilePorts {
  read: (target: SshTarget) => Promise<string | null>;
  write: (target: SshTarget, env: { version: number; entries: string[] }) => Promise<void>;
}
const realPorts: HostEnvFilePorts = { read: readHostEnvFile, write: writeHostEnvFile };

export type HostEnvFileView = { host: string; path: string } & (HostEnvState | { state: "unreadable"; error: string });

async function appHosts(stackId: string) {
  const services = await db.service.findMany({ where: { stackId, kind: "app" }, include: { host: true } });
  return services.map((s) => s.host).sort((a, b) => a.name.localeCompare(b.name));
}

const judge = (stackId: string, text: string | null, newest: { version: number; entries: string[] }) =>
  judgeHostEnvText(text, newest, (v) => envVersionEntries(stackId, v));

/**
 * Each app host's /srv/pixelfox/.env compared with what the panel wrote there, read now over SSH: a
 * hand edit shows key by key (secret values only as "changed"). Empty while the env is not managed.
 */
export async function listHostEnvFiles(stackRef: string, ports: HostEnvFilePorts = realPorts): Promise<HostEnvFileView[]> {
  const stack = await getStackRow(stackRef);
  const newest = await deployEnv(stack.id);
  if (!newest) return [];
  return Promise.all(
    (await appHosts(stack.id)).map(async (host): Promise<HostEnvFileView> => {
      const base = { host: host.name, path: HOST_ENV_FILE };
      try {
        return { ...base, ...(await judge(stack.id, await ports.read(usableTarget(host, "reading its .env")), newest)) };
      } catch (err) {
        return { ...base, state: "unreadable", error: isAppError(err) ? err.message : "Internal error: see the panel's log" };
      }
    }),
  );
}

async function oneHost(stackRef: string, hostName: string) {
  const stack = await getStackRow(stackRef);
  const host = (await appHosts(stack.id)).find((h) => h.name === hostName);
  if (!host) throw new AppError("BAD_REQUEST", `host: ${hostName} is not an app host of stack ${stack.name}`, { data: { field: "host" } });
  return { stack, host, target: usableTarget(host, `writing its .env`) };
}

export interface HostEnvWriteResult {
  host: string;
  version: number;
  /** What the file held before: absent, behind, edited (and what the write undid), or already current. */
  before: HostEnvState["state"];
  undone: EnvChange[];
}

/**
 * Writes the newest env version to the host's .env now (admins), over a hand edit too: the caller saw
 * the difference first and confirmed; the previous file is kept as .env.prev. Audited with what it undid
 * (key names only).
 */
export async function overwriteHostEnvFile(
  stackRef: string,
  hostName: string,
  actor: Actor,
  ports: HostEnvFilePorts = realPorts,
): Promise<HostEnvWriteResult> {
  const { stack, host, target } = await oneHost(stackRef, hostName);
  const newest = await deployEnv(stack.id);
  if (!newest)
    throw new AppError(
      "PRECONDITION_FAILED",
      `Stack ${stack.name}'s environment is not managed in the panel: there is no version to write.`,
    );
  const before = await judge(stack.id, await ports.read(target), newest);
  const undone = before.state === "edited" ? before.changes : [];
  if (before.state !== "current") await ports.write(target, newest);
  await recordAuditEvent(actor, {
    action: "env.host-file.write",
    target: `${stack.name} ${host.name}:${HOST_ENV_FILE}`,
    details: { version: newest.version, before: before.state, undone: undone.map((c) => `${c.change} ${c.key}`) },
  });
  return { host: host.name, version: newest.version, before: before.state, undone };
}

/**
 * Keeps a host's hand edits: its .env becomes the stack's newest version (admins), through the same
 * rules as any save; the next deploy starts the app with it. The file is then written again with the
 * same values under the panel's header for that version.
 */
export async function importHostEnvFile(
  stackRef: string,
  hostName: string,
  actor: Actor,
  ports: HostEnvFilePorts = realPorts,
): Promise<EnvVersionView> {
  const { stack, host, target } = await oneHost(stackRef, hostName);
  const text = await ports.read(target);
  if (text === null)
    throw new AppError("PRECONDITION_FAILED", `${host.name} has no ${HOST_ENV_FILE}: there is nothing to keep.`, { host: host.name });
  // The panel's own header would claim a version the file no longer is.
  const body = text
    .split("\n")
    .filter((l) => !/^# (Written by PixelFox Ops|Edit it in the panel)/.test(l))
    .join("\n");
  const current = await deployEnv(stack.id);
  const state = current ? await judge(stack.id, text, current) : null;
  const what = state?.state === "edited" ? ` (${describeChanges(state.changes, 4)})` : "";
  const saved = await saveEnvVersion(stack.name, body, `kept the edits made on ${host.name}${what}`.slice(0, 200), actor);
  // Same values, the panel's header naming the new version: the file reads as current, not as an edit.
  const now = await deployEnv(stack.id);
  if (now) await ports.write(target, now);
  return saved;
}
