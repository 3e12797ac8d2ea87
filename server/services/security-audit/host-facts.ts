/**
 * What the audit collects from one host before judging it: the raw outputs of a few read-only commands
 * (one SSH exec), Docker's view of the containers (over the same pooled connection) and TCP connects made
 * from the panel's side. The checks are pure functions of these facts, so every verdict is unit-testable.
 */

/** One command's result; `code` null when it was not run (e.g. the tool is not installed). */
export interface CommandRun {
  stdout: string;
  stderr: string;
  code: number | null;
  /** How it ran: as root, through `sudo -n`, or as the (non-root) SSH user; absent when not known. An empty output is
   *  a real answer only from a command that ran as root or through sudo. */
  runAs?: "root" | "sudo" | "user";
}

export interface AuditedHost {
  name: string;
  /** The address the panel reaches the host on (its public address in production). */
  address: string;
  privateAddress: string | null;
  sshPort: number;
  sshUser: string;
  /** The roles the panel's inventory gives the host: app, db, cache, proxy, storage. */
  roles: string[];
}

/** The sections of the host's collect script (see collect-script.ts), by name. */
export interface HostCommandOutputs {
  /** `id -u` of the panel's SSH user. */
  uid: CommandRun;
  /** `sshd -T` (via `sudo -n` when the user is not root). */
  sshdT: CommandRun;
  /** /etc/ssh/sshd_config and its Include'd drop-ins, when readable; used when `sshd -T` is not permitted. */
  sshdFiles: { path: string; text: string }[];
  ufw: CommandRun;
  nft: CommandRun;
  iptables: CommandRun;
  ip6tables: CommandRun;
  /** `ss -ltnH` */
  ss: CommandRun;
}

/** A TCP connect from the panel to the host's address on one port. */
export interface Reachability {
  port: number;
  /** true: the connect succeeded; false: refused or timed out; "unknown": the panel could not try. */
  open: boolean | "unknown";
  detail: string;
}

export interface HostFacts {
  host: AuditedHost;
  /** The private addresses of the stack's app hosts: the only sources allowed to reach 3306 and 6379. */
  appPrivateSources: string[];
  commands: HostCommandOutputs;
  /** `docker inspect` JSON of every container on the host (Docker Engine API shape); null when Docker could not be read. */
  containers: unknown[] | null;
  /** Connects from the panel to host.address for each port the containers publish and 3306, 6379, 4000. */
  reachability: Reachability[];
}
