import { createHash } from "node:crypto";
import { AppError } from "@/server/errors";
import { describeTarget, type SshTarget } from "./types";

/**
 * Fingerprint of an SSH public key blob (the wire-format key, as sent in the handshake or as the
 * base64 field of a `.pub` line): "SHA256:" + unpadded base64 of its SHA-256, exactly what
 * `ssh-keygen -lf` prints.
 */
export function computeFingerprint(keyBlob: Buffer): string {
  const digest = createHash("sha256").update(keyBlob).digest("base64");
  return `SHA256:${digest.replace(/=+$/, "")}`;
}

/** Fingerprint of an OpenSSH public key line ("ssh-ed25519 AAAA... comment"). */
export function fingerprintFromPublicKeyLine(line: string): string {
  const base64 = line.trim().split(/\s+/)[1];
  if (!base64) throw new AppError("BAD_REQUEST", 'Not an OpenSSH public key line: expected "<type> <base64> [comment]".');
  return computeFingerprint(Buffer.from(base64, "base64"));
}

/** Normalise an admin-entered fingerprint: trims, tolerates missing "SHA256:" and base64 padding. */
export function normalizeFingerprint(value: string): string {
  const trimmed = value
    .trim()
    .replace(/^SHA256:/i, "")
    .replace(/=+$/, "");
  return `SHA256:${trimmed}`;
}

export type HostKeyVerdict = { ok: true; fingerprint: string } | { ok: false; fingerprint: string; error: AppError };

/**
 * Decide whether a presented host key may be used for `target`.
 *
 * Security: this runs inside ssh2's hostVerifier, before key exchange completes. A refusal there
 * aborts the handshake, so no authentication, command or forward is ever sent to an unverified
 * host. A host without a pinned fingerprint is refused too (trust on first use needs an admin).
 */
export function verifyHostKey(target: SshTarget, keyBlob: Buffer, action: string): HostKeyVerdict {
  const presented = computeFingerprint(keyBlob);
  const host = describeTarget(target);
  if (target.pinnedFingerprint === null || target.pinnedFingerprint.trim() === "") {
    return {
      ok: false,
      fingerprint: presented,
      error: new AppError(
        "HOST_KEY_UNPINNED",
        `Host ${host} presented SSH host key ${presented}, which no admin has accepted yet. ` +
          `Verify it on the host's console (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub) and accept it in the host settings before connecting. Nothing was sent to the host.`,
        { host: target.name, action, data: { fingerprint: presented, address: target.address, port: target.port } },
      ),
    };
  }
  const expected = normalizeFingerprint(target.pinnedFingerprint);
  if (expected !== presented) {
    return {
      ok: false,
      fingerprint: presented,
      error: new AppError(
        "HOST_KEY_MISMATCH",
        `The SSH host key of ${host} changed: expected ${expected} but the host presented ${presented}. ` +
          `This is a possible man-in-the-middle attack, or the host was reinstalled. The connection was refused before anything was sent; ` +
          `re-pin only after verifying the new fingerprint on the host's console.`,
        { host: target.name, action, data: { expected, presented, address: target.address, port: target.port } },
      ),
    };
  }
  return { ok: true, fingerprint: presented };
}
