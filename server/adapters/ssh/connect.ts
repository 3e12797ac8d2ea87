import { Client, type ConnectConfig } from "ssh2";
import { AppError } from "@/server/errors";
import { computeFingerprint, verifyHostKey } from "./fingerprint";
import { mapSshError } from "./map-ssh-error";
import type { SshTarget } from "./types";

export interface ConnectSettings {
  readyTimeoutMs: number;
  keepaliveIntervalMs: number;
  keepaliveCountMax: number;
  /** Seam for unit tests: build the ssh2 client (defaults to `new Client()`). */
  createClient?: () => Client;
}

/**
 * Open one authenticated ssh2 connection to `target`, refusing any host key that is not the
 * pinned one. Resolves once the connection is ready for channels; rejects with a mapped AppError.
 */
export function openSshConnection(target: SshTarget, settings: ConnectSettings, action = "open SSH connection"): Promise<Client> {
  return new Promise((resolve, reject) => {
    const client = settings.createClient ? settings.createClient() : new Client();
    let hostKeyError: AppError | undefined;
    let settled = false;
    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      client.end();
      // The verifier's own verdict beats ssh2's generic "Host denied (verification failed)".
      reject(mapSshError(hostKeyError ?? err, { target, action, timeoutMs: settings.readyTimeoutMs }));
    };
    client.on("error", fail);
    client.once("close", () => fail(new Error("Connection lost before handshake")));
    client.once("ready", () => {
      if (settled) return;
      settled = true;
      client.removeListener("error", fail);
      resolve(client);
    });

    const config: ConnectConfig = {
      host: target.address,
      port: target.port,
      username: target.username,
      privateKey: target.privateKey,
      readyTimeout: settings.readyTimeoutMs,
      keepaliveInterval: settings.keepaliveIntervalMs,
      keepaliveCountMax: settings.keepaliveCountMax,
      // Security: the only credential offered is the host's private key: no agent, no password,
      // no keyboard-interactive prompts.
      tryKeyboard: false,
      authHandler: ["publickey"],
      // Security: host-key pinning. Returning false aborts key exchange, so nothing (not even
      // the user name) is sent to a host whose key is unpinned or changed.
      hostVerifier: (key: Buffer) => {
        const verdict = verifyHostKey(target, key, action);
        if (!verdict.ok) hostKeyError = verdict.error;
        return verdict.ok;
      },
    };
    try {
      client.connect(config);
    } catch (err) {
      fail(err);
    }
  });
}

/**
 * Connect only far enough to see the host key, then abort: the "show the fingerprint, an admin
 * accepts it" step for a new host. Never authenticates and never sends a command.
 */
export function fetchHostKeyFingerprint(
  target: Pick<SshTarget, "name" | "address" | "port" | "username">,
  options: { readyTimeoutMs?: number; createClient?: () => Client } = {},
): Promise<string> {
  const action = "read SSH host key";
  const readyTimeoutMs = options.readyTimeoutMs ?? 10_000;
  return new Promise((resolve, reject) => {
    const client = options.createClient ? options.createClient() : new Client();
    let fingerprint: string | undefined;
    let settled = false;
    const finish = (err?: unknown) => {
      if (settled) return;
      settled = true;
      client.end();
      if (fingerprint) resolve(fingerprint);
      else reject(mapSshError(err ?? new Error("Connection lost before handshake"), { target, action, timeoutMs: readyTimeoutMs }));
    };
    client.on("error", finish);
    client.once("close", () => finish());
    client.once("ready", () => finish(new AppError("INTERNAL", "SSH handshake completed although the host key was refused.")));
    try {
      client.connect({
        host: target.address,
        port: target.port,
        username: target.username,
        readyTimeout: readyTimeoutMs,
        authHandler: [],
        // Security: always refuse; we only record what the host presented.
        hostVerifier: (key: Buffer) => {
          fingerprint = computeFingerprint(key);
          return false;
        },
      });
    } catch (err) {
      finish(err);
    }
  });
}
