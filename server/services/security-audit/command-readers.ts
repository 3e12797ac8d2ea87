import { isToolMissing } from "./collect-script";
import type { CommandRun, HostCommandOutputs } from "./host-facts";
import { iptablesFirewallView, parseIptablesSave } from "./parsers/parse-iptables-save";
import { parseListeningSockets, type ListeningSockets } from "./parsers/parse-listening-sockets";
import { nftFirewallView, parseNftRuleset } from "./parsers/parse-nft-ruleset";
import { parseSshdConfigFiles } from "./parsers/parse-sshd-config-files";
import { parseSshdT, unknownSshd, type SshdSettings } from "./parsers/parse-sshd-config";
import { parseUfwStatus, ufwFirewallView } from "./parsers/parse-ufw-status";
import { makeEvidence, type FirewallView } from "./parsers/types";

const MAIN_SSHD_CONFIG = "/etc/ssh/sshd_config";

/** What went wrong with a command, in one line: "sshd -T exited 1: sshd: no hostkeys available -- exiting." */
export function describeFailure(command: string, run: CommandRun): string {
  const said = run.stderr.trim().split("\n")[0] ?? "";
  if (run.code === null) return `${command}: ${said.replace(/^error: /, "") || "not run"}`;
  return `${command} exited ${run.code}${said ? `: ${said}` : ""}`;
}

/** The uid the audit ran as; null when `id -u` did not answer with a number. */
export function uidOf(run: CommandRun): number | null {
  const text = run.stdout.trim();
  return run.code === 0 && /^\d+$/.test(text) ? Number(text) : null;
}

/**
 * The effective sshd settings: `sshd -T` when it ran and printed a configuration, else the config files (first value
 * wins, OpenSSH defaults), else unknown. The evidence says which source was used and why.
 */
export function readSshdSettings(cmds: HostCommandOutputs): SshdSettings {
  const run = cmds.sshdT;
  const fromT = run.code === 0 ? parseSshdT(run.stdout) : null;
  if (fromT?.readable) return fromT;
  const why = fromT ? `sshd -T: ${fromT.problem ?? "unreadable"}` : describeFailure("sshd -T", run);
  const main = cmds.sshdFiles.find((f) => f.path === MAIN_SSHD_CONFIG);
  if (!main) return unknownSshd("config files", `${why}; ${MAIN_SSHD_CONFIG} was not read either`, run.stderr);
  const settings = parseSshdConfigFiles(
    main,
    cmds.sshdFiles.filter((f) => f !== main),
  );
  const note = `sshd -T not used (${why}): read from the config files`;
  return settings.readable
    ? { ...settings, evidence: makeEvidence([note, ...settings.evidence.split("\n")]) }
    : { ...settings, problem: `${why}; ${settings.problem ?? "config files unreadable"}` };
}

/** The firewall views in the evaluator's order (ufw, nft, iptables); tools that are not installed are left out. */
export function readFirewallViews(cmds: HostCommandOutputs): { views: FirewallView[]; missing: string[] } {
  const uid = uidOf(cmds.uid);
  const views: FirewallView[] = [];
  const missing: string[] = [];
  if (isToolMissing(cmds.ufw)) missing.push("ufw");
  else views.push(failedRun(ufwFirewallView(parseUfwStatus(textOf(cmds.ufw))), "ufw status verbose", cmds.ufw));
  if (isToolMissing(cmds.nft)) missing.push("nft");
  else
    views.push(
      failedRun(nftFirewallView(parseNftRuleset(textOf(cmds.nft), { ranOk: ranOk(cmds.nft, uid) })), "nft list ruleset", cmds.nft),
    );
  if (isToolMissing(cmds.iptables)) missing.push("iptables-save");
  else {
    const v4 = parseIptablesSave(textOf(cmds.iptables), { ranOk: ranOk(cmds.iptables, uid), ipVersion: 4 });
    // Without ip6tables-save IPv6 is unknown (the view then cannot confirm a deny); a failed one makes the view unknown.
    const v6 = isToolMissing(cmds.ip6tables)
      ? undefined
      : parseIptablesSave(textOf(cmds.ip6tables), { ranOk: ranOk(cmds.ip6tables, uid), ipVersion: 6 });
    const view = failedRun(iptablesFirewallView(v4, v6), "iptables-save", cmds.iptables);
    views.push(v6 ? failedRun(view, "ip6tables-save", cmds.ip6tables) : view);
  }
  return { views, missing };
}

/** `ss -ltnH`; a failed run is unreadable whatever it printed. */
export function readListeningSockets(run: CommandRun): ListeningSockets {
  const parsed = parseListeningSockets(textOf(run));
  if (run.code === 0 || !parsed.readable) return parsed;
  return { ...parsed, sockets: [], readable: false, problem: describeFailure("ss -ltnH", run) };
}

/** Stdout, plus stderr when the command failed: the parsers recognise the tools' error messages. */
function textOf(run: CommandRun): string {
  return run.code === 0 ? run.stdout : `${run.stdout}${run.stderr}`;
}

/** Security: an empty output is "no rules at all" only from a command that ran with root's view of the firewall. */
function ranOk(run: CommandRun, uid: number | null): boolean {
  if (run.code !== 0) return false;
  return run.runAs === undefined ? uid === 0 : run.runAs !== "user";
}

/** A command that did not exit 0 never counts as read, whatever its stdout looked like. */
function failedRun(view: FirewallView, command: string, run: CommandRun): FirewallView {
  if (run.code === 0 || !view.readable) return view;
  const problem = describeFailure(command, run);
  return { ...view, readable: false, problem, active: "unknown", defaultInbound: "unknown", acceptedTcp: [], evidence: problem };
}
