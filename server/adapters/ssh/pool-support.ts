import { createHash } from "node:crypto";
import { AppError } from "@/server/errors";
import type { SshTarget } from "./types";

/** A remembered connect failure of one host. */
export interface ConnectFailure {
  error: AppError;
  at: number;
  retryAt: number;
  attempts: number;
}

/** The error for a call made while the host's failed connect is backing off. */
export function backoffError(target: SshTarget, failure: ConnectFailure): AppError {
  const waitS = Math.max(0.1, (failure.retryAt - Date.now()) / 1000).toFixed(1);
  return new AppError(
    failure.error.code,
    `${failure.error.message} (Failed ${failure.attempts}× in a row; the panel retries automatically in ${waitS} s, or run "Test connection" to retry now.)`,
    { host: target.name, action: failure.error.action, data: failure.error.data, cause: failure.error },
  );
}

/** Digest of everything that makes a connection valid; a change means reconnect. */
export function connectionKey(target: SshTarget): string {
  const parts = [target.address, String(target.port), target.username, target.privateKey, target.pinnedFingerprint ?? ""];
  return createHash("sha256").update(parts.join("\0")).digest("hex");
}

/** ssh2's callback-style channel open as a promise (a synchronous throw rejects too). */
export function promisifyChannel<T>(start: (cb: (err: Error | undefined, channel: T) => void) => unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    try {
      start((err, channel) => (err ? reject(err) : resolve(channel)));
    } catch (err) {
      reject(err);
    }
  });
}
