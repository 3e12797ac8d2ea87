import type { SshPool } from "./pool";
import type { SshTarget } from "./types";

interface Ssh2Internals {
  _protocol?: { ping?: () => void };
  _callbacks?: Array<(err: unknown) => void>;
}

/**
 * Time one SSH round trip on the pooled connection, in ms, without opening a channel: a
 * keepalive@openssh.com global request, which sshd answers at once (with a failure reply, which
 * is all we need). ssh2 has no public API for it, so if its internals ever change we fall back
 * to exec `true` (a heavier round trip, but still correct).
 */
export async function pingHost(pool: SshPool, target: SshTarget): Promise<number> {
  const action = "measure SSH latency";
  const client = await pool.connect(target, { action });
  const internals = client as unknown as Ssh2Internals;
  const protocol = internals._protocol;
  const callbacks = internals._callbacks;
  const started = performance.now();
  if (typeof protocol?.ping === "function" && Array.isArray(callbacks)) {
    await new Promise<void>((resolve) => {
      // ssh2 answers global-request replies in FIFO order from this queue (its own keepalive uses it too).
      callbacks.push(() => resolve());
      protocol.ping!();
    });
    return performance.now() - started;
  }
  const channel = await pool.exec(target, "true", { action });
  await new Promise<void>((resolve) => {
    channel.once("close", () => resolve());
    channel.resume();
    channel.stderr.resume();
  });
  return performance.now() - started;
}
