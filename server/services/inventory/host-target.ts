import type { Host } from "@prisma/client";
import type { SshTarget } from "@/server/adapters/ssh/types";
import { AppError } from "@/server/errors";
import { decryptHostKey } from "./hosts";

/** Builds the transport's view of a host; the key is decrypted in memory only. */
export function toSshTarget(host: Host): SshTarget {
  return {
    hostId: host.id,
    name: host.name,
    address: host.address,
    port: host.sshPort,
    username: host.sshUser,
    privateKey: decryptHostKey(host),
    pinnedFingerprint: host.hostKeyFingerprint,
    dockerSocket: host.dockerSocket,
  };
}

/**
 * The one gate from a host row to something the panel may talk to. Security: a host whose key is
 * not pinned, or whose key changed, gets nothing sent to it; the error says what the panel was about
 * to do (`purpose`, e.g. "deploying", "reading its logs") and how to unblock it.
 */
export function usableTarget(host: Host, purpose: string): SshTarget {
  if (host.hostKeyState === "CHANGED") {
    throw new AppError(
      "HOST_KEY_MISMATCH",
      `Host key of ${host.name} changed: nothing is sent to it (${purpose}) until an admin verifies and re-pins the new key`,
      {
        host: host.name,
        data: { expected: host.hostKeyFingerprint, presented: host.presentedFingerprint },
      },
    );
  }
  if (host.hostKeyState !== "PINNED") {
    throw new AppError(
      "PRECONDITION_FAILED",
      `Host ${host.name} has no verified host key (${host.hostKeyState.toLowerCase()}): verify and pin it before ${purpose}`,
      { host: host.name },
    );
  }
  return toSshTarget(host);
}
