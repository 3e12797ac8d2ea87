/** Test support for the privacy tests: actors and inventory rows in the temp store. Not used by production code. */
import { encryptSecret } from "@/server/crypto";
import { db } from "@/server/db";
import type { Actor } from "@/server/services/auth/actor";

export const admin: Actor = { kind: "user", id: null, label: "admin@example.com", role: "ADMIN" };
export const deployer: Actor = { kind: "user", id: null, label: "dev@example.com", role: "DEPLOYER" };
export const viewer: Actor = { kind: "user", id: null, label: "view@example.com", role: "VIEWER" };

/** A host whose key is pinned (so the panel may talk to it); the private key is a placeholder, never used by fakes. */
export async function createPinnedHost(name: string, extra: { viewerLogsAllowed?: boolean } = {}) {
  return db.host.create({
    data: {
      name,
      address: `10.9.0.${name.length}`,
      sshUser: "root",
      privateKeyEnc: encryptSecret("placeholder-key", "host.privateKey"),
      hostKeyFingerprint: `SHA256:${"A".repeat(43)}`,
      hostKeyState: "PINNED",
      roles: JSON.stringify(["app", "db", "proxy"]),
      ...extra,
    },
  });
}

export async function placeService(stackId: string, hostId: string, kind: string, containerName: string) {
  return db.service.create({ data: { stackId, hostId, kind, containerName } });
}
