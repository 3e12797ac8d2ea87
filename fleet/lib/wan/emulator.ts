import fs from "node:fs";
import net from "node:net";
import { pipeWithShape, type LinkShape } from "./link-pipe.js";

/** One emulated path: connections to 127.0.0.1:listenPort go on to address:port over the shaped link. */
export interface WanRoute {
  host: string;
  address: string;
  port: number;
  listenPort: number;
}

export interface WanConfig extends LinkShape {
  /** The emulator's own source address towards the hosts (the kernel rule that redirects the panel's traffic skips it). */
  bindAddress: string;
  routes: WanRoute[];
  /** JSON {"cut": {"<host>": <until, epoch ms; 0 = until restored>}}, read every 100 ms. */
  stateFile: string;
}

export interface WanState {
  cut: Record<string, number>;
  /** Bumped by every write; the emulator writes the one it applied to `<stateFile>.applied`. */
  seq: number;
}

export function readWanState(file: string): WanState {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<WanState>;
    return { cut: parsed.cut ?? {}, seq: parsed.seq ?? 0 };
  } catch {
    return { cut: {}, seq: 0 };
  }
}

export interface RunningEmulator {
  close(): Promise<void>;
  /** Connections open now, per host. */
  open(): Record<string, number>;
  /** Whether the emulator holds `host`'s link cut now (as it last read the state file). */
  isCut(host: string): boolean;
  /** The port each route listens on, in route order (a listenPort of 0 takes a free one). */
  ports(): number[];
}

/** Starts listening on every route's port; resolves once all of them listen. */
export async function startEmulator(config: WanConfig, clock = () => Date.now()): Promise<RunningEmulator> {
  let state = readWanState(config.stateFile);
  const isCut = (host: string) => {
    const until = state.cut[host];
    return until !== undefined && (until === 0 || until > clock());
  };
  const wakers = new Set<() => void>();
  const counts: Record<string, number> = {};
  const sockets = new Set<net.Socket>();
  let lastText = "";
  const poll = setInterval(() => {
    let text = "";
    try {
      text = fs.readFileSync(config.stateFile, "utf8");
    } catch {
      text = "";
    }
    // Wake on every change, and every tick while a timed cut may have run out.
    const hasTimedCut = Object.values(state.cut).some((u) => u > 0);
    if (text === lastText && !hasTimedCut) return;
    lastText = text;
    state = readWanState(config.stateFile);
    for (const wake of wakers) wake();
    // Whoever changed the state can wait for this: from now on every pipe follows it.
    fs.writeFileSync(`${config.stateFile}.applied`, String(state.seq));
  }, 100);

  const servers = config.routes.map((route) => {
    const server = net.createServer((client) => {
      counts[route.host] = (counts[route.host] ?? 0) + 1;
      sockets.add(client);
      const upstream = net.connect({ host: route.address, port: route.port, localAddress: config.bindAddress });
      sockets.add(upstream);
      const control = { isCut: () => isCut(route.host) };
      const wakeUp = pipeWithShape(client, upstream, config, control);
      const wakeDown = pipeWithShape(upstream, client, config, control);
      const wake = () => (wakeUp(), wakeDown());
      wakers.add(wake);
      // A clean close travels through the pipes (the FIN after the delayed bytes); an error ends both at once.
      let openSockets = 2;
      const closed = (hadError: boolean) => {
        if (hadError) {
          client.destroy();
          upstream.destroy();
        }
        if (--openSockets > 0) return;
        wakers.delete(wake);
        counts[route.host] = (counts[route.host] ?? 1) - 1;
        sockets.delete(client);
        sockets.delete(upstream);
      };
      for (const socket of [client, upstream]) socket.on("error", () => undefined).on("close", closed);
    });
    return server;
  });
  await Promise.all(
    servers.map(
      (server, i) =>
        new Promise<void>((resolve, reject) => {
          server.once("error", reject);
          server.listen(config.routes[i]!.listenPort, "127.0.0.1", () => resolve());
        }),
    ),
  );
  return {
    open: () => ({ ...counts }),
    isCut,
    ports: () => servers.map((s) => (s.address() as net.AddressInfo).port),
    close: async () => {
      clearInterval(poll);
      for (const s of sockets) s.destroy();
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    },
  };
}
