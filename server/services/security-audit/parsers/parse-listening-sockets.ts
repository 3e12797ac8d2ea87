import { findErrorMessage, makeEvidence, unreadableOutput, type Known, type ParsedOutput } from "./types";

export interface SocketProcess {
  name: string;
  pid: number;
}

/** One listening TCP socket of `ss -ltnH` / `ss -ltnpH`. */
export interface ListeningSocket {
  /** Without brackets: "0.0.0.0", "::", "*", "127.0.0.1", "::ffff:127.0.0.1", "fe80::1". */
  address: string;
  port: number;
  /** The `%lo` suffix: the socket is bound to that interface only (SO_BINDTODEVICE or a link-local scope). */
  iface: string | null;
  /** "dual" for `*`: an IPv6 socket that also takes IPv4 (v6only off); `[::]` is IPv6 only. */
  family: 4 | 6 | "dual";
  /** Unknown without `-p`, or without root: ss then silently leaves the column out for other users' sockets. */
  processes: Known<SocketProcess[]>;
  raw: string;
}

export interface ListeningSockets extends ParsedOutput {
  sockets: ListeningSocket[];
}

const ROW = /^LISTEN\s+\d+\s+\d+\s+(\S+)\s+\S+(?:\s+(users:\(.*\)))?\s*$/;
const LOCAL = /^(?:\[([0-9a-fA-F:.]+)\]|(\*|[0-9.]+))(?:%(\S+))?:(\d+)$/;

/**
 * Reads `ss -ltnH` or `ss -ltnpH` (a header line is skipped). Empty output is unknown: a host the panel reaches over
 * SSH always has sshd listening, so "nothing" means the command did not run.
 */
export function parseListeningSockets(text: string): ListeningSockets {
  const error = findErrorMessage(text);
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !/^State\s+Recv-Q/.test(l));
  if (error) return { sockets: [], ...unreadableOutput(`ss failed: ${error}`, text) };
  if (lines.length === 0) return { sockets: [], ...unreadableOutput("ss printed no listening socket", text) };
  const sockets = lines.map(parseSocketLine);
  if (sockets.some((s) => s === null))
    return { sockets: [], ...unreadableOutput("A line is not an 'ss -ltn' row (run with -n; cut short?)", text) };
  return { readable: true, problem: null, sockets: sockets.filter((s): s is ListeningSocket => s !== null), evidence: makeEvidence(lines) };
}

/** One `LISTEN …` row; null when it is not one (a service name instead of a port number, a cut line). */
export function parseSocketLine(line: string): ListeningSocket | null {
  const row = ROW.exec(line.trim());
  const local = row?.[1] ? LOCAL.exec(row[1]) : null;
  if (!row || !local?.[4]) return null;
  const bracketed = local[1];
  const address = bracketed ?? local[2] ?? "";
  const family = address === "*" ? "dual" : bracketed ? 6 : 4;
  return {
    address,
    port: Number(local[4]),
    iface: local[3] ?? null,
    family,
    processes: row[2] ? parseUsers(row[2]) : "unknown",
    raw: line.trim(),
  };
}

/** `users:(("nginx",pid=1,fd=6),("nginx",pid=2,fd=6))`; a worker sharing the socket appears once per process. */
function parseUsers(users: string): SocketProcess[] {
  return [...users.matchAll(/\("((?:[^"\\]|\\.)*)",pid=(\d+),fd=\d+\)/g)].map((m) => ({ name: m[1] ?? "", pid: Number(m[2]) }));
}

/** Bound to every address of the host (`0.0.0.0`, `[::]`, `*`) and not pinned to one interface. */
export function isAllInterfaces(s: Pick<ListeningSocket, "address" | "iface">): boolean {
  return (s.address === "0.0.0.0" || s.address === "::" || s.address === "*") && s.iface === null;
}

/** Reachable only from the host itself: 127.0.0.0/8, ::1, IPv4-mapped loopback, or pinned to `lo`. */
export function isLoopback(s: Pick<ListeningSocket, "address" | "iface">): boolean {
  return s.iface === "lo" || /^127\./.test(s.address) || s.address === "::1" || /^::ffff:127\./i.test(s.address);
}
