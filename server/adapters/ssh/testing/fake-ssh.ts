/**
 * Fakes for unit tests of the SSH layer: an ssh2-like Client and a pool whose exec runs the
 * command string through a real local `sh -c`, so quoting is checked against a real shell.
 * Not used by production code.
 */
import { spawn } from "node:child_process";
import { EventEmitter } from "node:events";
import { PassThrough } from "node:stream";
import type { Client, ClientChannel, ConnectConfig } from "ssh2";
import type { SshPool } from "@/server/adapters/ssh/pool";

export class FakeChannel extends PassThrough {
  readonly stderr = new PassThrough();
  isClosed = false;
  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.emit("close");
  }
}

export type FakeConnectBehaviour = { kind: "ready"; hostKey?: Buffer } | { kind: "error"; error: Error } | { kind: "hang" };

/** A stand-in for ssh2's Client that records what was attempted. */
export class FakeSshClient extends EventEmitter {
  readonly channels: FakeChannel[] = [];
  readonly commands: string[] = [];
  config?: ConnectConfig;
  ended = false;
  /** As a link that stalls: channel opens are never answered. */
  stalled = false;

  constructor(private readonly behaviour: FakeConnectBehaviour) {
    super();
  }

  connect(config: ConnectConfig): this {
    this.config = config;
    setImmediate(() => {
      const b = this.behaviour;
      if (b.kind === "hang") return;
      if (b.kind === "error") {
        this.emit("error", b.error);
        this.emit("close");
        return;
      }
      const verifier = config.hostVerifier as ((key: Buffer) => boolean) | undefined;
      if (verifier && verifier(b.hostKey ?? Buffer.from("fake-host-key")) === false) {
        this.emit("error", new Error("Host denied (verification failed)"));
        this.emit("close");
        return;
      }
      this.emit("ready");
    });
    return this;
  }

  exec(command: string, _options: unknown, cb: (err: Error | undefined, channel: ClientChannel) => void): boolean {
    this.commands.push(command);
    const channel = new FakeChannel();
    this.channels.push(channel);
    if (!this.stalled) setImmediate(() => cb(undefined, channel as unknown as ClientChannel));
    return true;
  }

  destroy(): this {
    return this.end();
  }

  end(): this {
    if (this.ended) return this;
    this.ended = true;
    for (const channel of this.channels) channel.close();
    setImmediate(() => {
      this.emit("end");
      this.emit("close");
    });
    return this;
  }

  /** Simulate the network dropping the connection. */
  drop(): void {
    for (const channel of this.channels) channel.close();
    this.emit("error", Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }));
    this.emit("close");
  }
}

/** `createClient` for SshPool that hands out FakeSshClients built by `behaviour()`. */
export function fakeClientFactory(behaviour: () => FakeConnectBehaviour) {
  const clients: FakeSshClient[] = [];
  const createClient = () => {
    const client = new FakeSshClient(behaviour());
    clients.push(client);
    return client as unknown as Client;
  };
  return { clients, createClient };
}

/** A pool whose exec runs the command string with the local /bin/sh (as sshd would remotely). */
export function localShellPool(): { pool: SshPool; commands: string[] } {
  const commands: string[] = [];
  const pool = {
    async exec(_target: unknown, command: string) {
      commands.push(command);
      const child = spawn("sh", ["-c", command], { stdio: ["pipe", "pipe", "pipe"] });
      const channel = new EventEmitter() as EventEmitter & Record<string, unknown>;
      channel.stderr = child.stderr;
      child.stdout.on("data", (d: Buffer) => channel.emit("data", d));
      child.on("exit", (code, signal) => channel.emit("exit", code, signal ?? undefined));
      child.on("close", () => channel.emit("close"));
      channel.end = (data?: string | Buffer) => child.stdin.end(data);
      channel.close = () => child.kill("SIGHUP");
      channel.signal = (sig: string) => child.kill(`SIG${sig}` as NodeJS.Signals);
      return channel as unknown as ClientChannel;
    },
  };
  return { pool: pool as unknown as SshPool, commands };
}
