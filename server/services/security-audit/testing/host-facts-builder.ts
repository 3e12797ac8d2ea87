import type { AuditCheck } from "@/server/domain/security-audit";
import type { AuditedHost, CommandRun, HostCommandOutputs, HostFacts } from "../host-facts";
import { readFixture } from "../parsers/read-fixture";

/** A command that exited 0, from a fixture file (`fixture:<name>`) or inline text. Tests only. */
export function ran(text: string, runAs: CommandRun["runAs"] = "root"): CommandRun {
  return { stdout: text.startsWith("fixture:") ? readFixture(text.slice(8)) : text, stderr: "", code: 0, runAs };
}

export function failed(stderr: string, code = 1, runAs: CommandRun["runAs"] = "user"): CommandRun {
  return { stdout: "", stderr: stderr.startsWith("fixture:") ? readFixture(stderr.slice(8)) : stderr, code, runAs };
}

export function notInstalled(tool: string): CommandRun {
  return { stdout: "", stderr: `${tool}: not installed (not found in PATH, /usr/sbin or /sbin)`, code: null };
}

/** sshd on 22, nothing else: what a host with nothing but SSH shows. */
export const SS_SSH_ONLY =
  "LISTEN 0      128          0.0.0.0:22        0.0.0.0:*\nLISTEN 0      128             [::]:22           [::]:*\n";

export const DB_HOST: AuditedHost = {
  name: "db1",
  address: "203.0.113.10",
  privateAddress: "10.0.0.10",
  sshPort: 22,
  sshUser: "deploy",
  roles: ["db"],
};

/** A db host set up as the plan says, audited as root; override what a test is about. */
export function buildFacts(over: {
  host?: Partial<AuditedHost>;
  commands?: Partial<HostCommandOutputs>;
  containers?: unknown[] | null;
  reachability?: HostFacts["reachability"];
  appPrivateSources?: string[];
}): HostFacts {
  const commands: HostCommandOutputs = {
    uid: ran("1000\n", "user"),
    sshdT: ran("fixture:sshd-T-baseline.txt", "sudo"),
    sshdFiles: [],
    ufw: ran("fixture:ufw-status-db-role.txt", "sudo"),
    nft: ran("fixture:nft-ruleset-ufw-db-role.txt", "sudo"),
    iptables: ran("fixture:iptables-save-ufw-db-role.txt", "sudo"),
    ip6tables: ran("fixture:ip6tables-save-ufw-db-role.txt", "sudo"),
    ss: ran(SS_SSH_ONLY, "user"),
    ...over.commands,
  };
  return {
    host: { ...DB_HOST, ...over.host },
    appPrivateSources: over.appPrivateSources ?? ["10.0.0.30"],
    commands,
    containers: over.containers === undefined ? [] : over.containers,
    reachability: over.reachability ?? [],
  };
}

export function dockerFixture(...names: string[]): unknown[] {
  return names.flatMap((n) => {
    const parsed = JSON.parse(readFixture(n)) as unknown;
    return Array.isArray(parsed) ? (parsed as unknown[]) : [parsed];
  });
}

export function checkOf(checks: readonly AuditCheck[], id: string): AuditCheck {
  const found = checks.find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id} among ${checks.map((c) => c.id).join(", ")}`);
  return found;
}
