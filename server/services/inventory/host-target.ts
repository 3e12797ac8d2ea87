import type { Host } from "@prisma/client";
import type { SshTarget } from "@/server/adapters/ssh/types";
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
