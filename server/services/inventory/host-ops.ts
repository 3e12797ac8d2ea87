import { db } from "@/server/db";
import { AppError, isAppError } from "@/server/errors";
import { fetchHostKeyFingerprint } from "@/server/adapters/ssh/connect";
import { getSshPool, SshPool } from "@/server/adapters/ssh/pool";
import * as remote from "@/server/services/hosts";
import { createSshHostTransport } from "@/server/services/hosts";
import type { Actor } from "@/server/services/auth/actor";
import { recordAuditEvent } from "@/server/services/audit/record-audit-event";
import { getHostRow, getHost } from "./hosts";
import { toSshTarget, usableTarget } from "./host-target";

/**
 * Runs a remote call for a host and keeps the host's state honest: a host key mismatch flips the
 * host into the loud CHANGED state (until an admin re-pins), and the last check result is stored.
 */
async function withHost<T>(hostId: string, purpose: string, fn: (target: ReturnType<typeof toSshTarget>) => Promise<T>): Promise<T> {
  const host = await getHostRow(hostId);
  // An unpinned host may still be tried: the first connection is how its key is fetched and shown.
  const target = host.hostKeyState === "CHANGED" ? usableTarget(host, purpose) : toSshTarget(host);
  try {
    const result = await fn(target);
    await db.host.update({ where: { id: host.id }, data: { lastCheckAt: new Date(), lastCheckOk: true, lastError: null } });
    return result;
  } catch (err) {
    if (isAppError(err) && err.code === "HOST_KEY_MISMATCH") {
      const presented = typeof err.data?.presented === "string" ? err.data.presented : null;
      getSshPool().closeHost(host.id);
      await db.host.update({ where: { id: host.id }, data: { hostKeyState: "CHANGED", presentedFingerprint: presented } });
    }
    if (isAppError(err) && err.code !== "NOT_FOUND" && err.code !== "BAD_REQUEST") {
      await db.host.update({ where: { id: host.id }, data: { lastCheckAt: new Date(), lastCheckOk: false, lastError: err.message } });
    }
    throw err;
  }
}

/** Connects without authenticating and returns the host key fingerprint the host presents now. */
export async function fetchPresentedFingerprint(hostId: string) {
  const host = await getHostRow(hostId);
  const fingerprint = await fetchHostKeyFingerprint({ name: host.name, address: host.address, port: host.sshPort, username: host.sshUser });
  return { fingerprint, pinned: host.hostKeyFingerprint, matches: fingerprint === host.hostKeyFingerprint };
}

/**
 * Pins the fingerprint an admin verified. Security: the host is asked again and the pin is refused if
 * the key it presents now is not the one the admin saw, so nothing can slip in between.
 */
export async function pinHostKey(hostId: string, fingerprint: string, actor: Actor) {
  const host = await getHostRow(hostId);
  const { fingerprint: presented } = await fetchPresentedFingerprint(hostId);
  if (presented !== fingerprint) {
    throw new AppError("CONFLICT", `${host.name} now presents ${presented}, not the ${fingerprint} you accepted: check again`, {
      host: host.name,
      data: { field: "fingerprint", presented },
    });
  }
  await db.host.update({
    where: { id: hostId },
    data: {
      hostKeyFingerprint: fingerprint,
      hostKeyState: "PINNED",
      presentedFingerprint: null,
      hostKeyPinnedAt: new Date(),
      hostKeyPinnedBy: actor.label,
    },
  });
  getSshPool().closeHost(hostId);
  await recordAuditEvent(actor, {
    action: host.hostKeyState === "CHANGED" ? "host.repin-key" : "host.pin-key",
    target: host.name,
    details: { previous: host.hostKeyFingerprint, fingerprint },
  });
  return getHost(hostId);
}

export async function testHostConnection(hostId: string) {
  return withHost(hostId, "testing the connection", async (target) => {
    // A test is a full handshake on a connection of its own: a pooled connection opened before a host
    // key change would still work, and closing it would cut running deploys and log streams.
    const pool = new SshPool();
    try {
      return await remote.testConnection(target, createSshHostTransport(pool));
    } finally {
      pool.closeAll();
    }
  });
}

export async function listHostContainers(hostId: string) {
  return withHost(hostId, "listing its containers", (target) => remote.listContainers(target));
}

export async function runContainerAction(hostId: string, container: string, action: "start" | "stop" | "restart", actor: Actor) {
  const host = await getHostRow(hostId);
  try {
    await withHost(hostId, `${action === "stop" ? "stopping" : `${action}ing`} container ${container}`, async (target) => {
      if (action === "start") await remote.startContainer(target, container);
      else if (action === "stop") await remote.stopContainer(target, container);
      else await remote.restartContainer(target, container);
    });
    await recordAuditEvent(actor, { action: `container.${action}`, target: `${host.name}/${container}` });
  } catch (err) {
    await recordAuditEvent(actor, {
      action: `container.${action}`,
      target: `${host.name}/${container}`,
      ok: false,
      details: { error: isAppError(err) ? err.message : "internal error" },
    });
    throw err;
  }
  return { ok: true as const };
}
