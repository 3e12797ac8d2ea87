import net from "node:net";

/** Whether a TCP connect from the panel to `address:port` succeeds; nothing is sent, the socket is closed at once. */
export function tcpReach(address: string, port: number, timeoutMs = 2000): Promise<{ open: boolean | "unknown"; detail: string }> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = net.connect({ host: address, port, timeout: timeoutMs });
    const done = (open: boolean | "unknown", detail: string) => {
      socket.destroy();
      resolve({ open, detail: `TCP connect to ${address}:${port} from the panel: ${detail}` });
    };
    socket.once("connect", () => done(true, `open (${Math.round(performance.now() - started)} ms)`));
    socket.once("timeout", () => done(false, `no answer within ${timeoutMs} ms (filtered)`));
    socket.once("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "ECONNREFUSED") done(false, "refused");
      else if (err.code === "EHOSTUNREACH" || err.code === "ENETUNREACH") done(false, `unreachable (${err.code})`);
      else done("unknown", `could not try (${err.code ?? err.message})`);
    });
  });
}
