import type { CommandRun, HostCommandOutputs } from "./host-facts";

/**
 * The audit's one read-only SSH exec, run as `["sh", "-c", HOST_AUDIT_SCRIPT]`. Nothing is interpolated into it: it
 * takes no argument and reads no input. Each command's stdout and stderr are captured to files in a private
 * `mktemp -d` directory, then printed line by line behind a prefix (`o|` stdout, `e|` stderr) between
 * `@@begin <name> as=<root|sudo|user>` and `@@end <name> code=<exit code|none>`, so no tool output can pass for a
 * marker and a section cut short has no end line. A tool that is not installed prints `code=none`.
 *
 * Security: every command is read-only; privileged ones go through `sudo -n` (never a password prompt) when the SSH
 * user is not root; each is bounded by `timeout` when the host has it, with stdin from /dev/null.
 */
export const HOST_AUDIT_SCRIPT = [
  'PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin:/usr/bin:/bin"; export PATH',
  "LC_ALL=C; export LC_ALL",
  "echo '@@pxf-audit 1'",
  "uid=$(id -u 2>/dev/null)",
  't=$(mktemp -d 2>/dev/null) || t=""',
  "trap 'rm -rf -- \"$t\"' EXIT",
  "trap 'exit 130' HUP INT TERM",
  'to=""',
  'if timeout -k 2 10 true >/dev/null 2>&1; then to="timeout -k 2 10"; elif timeout 10 true >/dev/null 2>&1; then to="timeout 10"; fi',
  'me=user; [ "$uid" = 0 ] && me=root',
  'priv=$me; su=""',
  'if [ "$me" = user ] && command -v sudo >/dev/null 2>&1; then priv=sudo; su="sudo -n"; fi',
  // Every line of a file or stream behind a prefix; the last line counts even without its newline.
  'pfx() { while IFS= read -r l || [ -n "$l" ]; do printf \'%s|%s\\n\' "$1" "$l"; l=""; done; }',
  'none() { printf \'@@begin %s\\ne|%s\\n@@end %s code=none\\n\' "$1" "$2" "$1"; }',
  // sec NAME PRIVILEGED TOOL ARGS...
  "sec() {",
  "  n=$1; p=$2; shift 2",
  '  b=$(command -v "$1" 2>/dev/null)',
  '  if [ -z "$b" ]; then none "$n" "$1: not installed (not found in PATH, /usr/sbin or /sbin)"; return; fi',
  "  shift",
  '  if [ -z "$t" ]; then none "$n" "error: could not create a temporary directory (mktemp -d failed)"; return; fi',
  '  r=$me; w=""; if [ "$p" = 1 ]; then r=$priv; w=$su; fi',
  '  $to $w "$b" "$@" </dev/null >"$t/o" 2>"$t/e"; c=$?',
  '  if [ -n "$to" ] && { [ "$c" = 124 ] || [ "$c" = 137 ]; }; then echo "timed out after 10 s" >>"$t/e"; fi',
  '  printf \'@@begin %s as=%s\\n\' "$n" "$r"',
  '  pfx o <"$t/o"; pfx e <"$t/e"',
  '  printf \'@@end %s code=%s\\n\' "$n" "$c"',
  "}",
  // fil PATH: an sshd config file, only when this user can read it (an unreadable one is reported, not skipped).
  "fil() {",
  '  if [ ! -e "$1" ]; then none "file $1" "$1: No such file or directory"',
  '  elif [ -d "$1" ]; then none "file $1" "$1: Permission denied (directory not listable by uid $uid)"',
  '  elif [ ! -r "$1" ]; then none "file $1" "$1: Permission denied (not readable by uid $uid)"',
  '  else printf \'@@begin file %s\\n\' "$1"; pfx o <"$1"; printf \'@@end file %s code=0\\n\' "$1"; fi',
  "}",
  "sec uid 0 id -u",
  "sec sshdT 1 sshd -T",
  "echo '@@files'",
  "fil /etc/ssh/sshd_config",
  "d=/etc/ssh/sshd_config.d",
  'if [ -d "$d" ] && { [ ! -r "$d" ] || [ ! -x "$d" ]; }; then fil "$d"',
  'else for f in "$d"/*.conf; do [ -e "$f" ] && fil "$f"; done; fi',
  "echo '@@files-end'",
  "sec ufw 1 ufw status verbose",
  "sec nft 1 nft list ruleset",
  "sec iptables 1 iptables-save",
  "sec ip6tables 1 ip6tables-save",
  "sec ss 0 ss -ltnH",
  "echo '@@done'",
].join("\n");

/** The sections of HOST_AUDIT_SCRIPT, in order, with the command each one ran. */
export const AUDIT_SECTIONS = {
  uid: "id -u",
  sshdT: "sshd -T",
  ufw: "ufw status verbose",
  nft: "nft list ruleset",
  iptables: "iptables-save",
  ip6tables: "ip6tables-save",
  ss: "ss -ltnH",
} as const satisfies Record<Exclude<keyof HostCommandOutputs, "sshdFiles">, string>;
type SectionName = keyof typeof AUDIT_SECTIONS;

const NOT_INSTALLED = /^(\S+): not installed\b/;

/** True when the section says the tool is not on the host (as opposed to not run, refused or cut short). */
export function isToolMissing(run: CommandRun): boolean {
  return run.code === null && NOT_INSTALLED.test(run.stderr);
}

interface Section {
  name: string;
  runAs: CommandRun["runAs"];
  out: string[];
  err: string[];
}

/**
 * Reads HOST_AUDIT_SCRIPT's stdout back into one CommandRun per command. A section that is missing or cut short
 * (no end line) gives `code: null`, an empty stdout (a partial output must never be judged) and a stderr saying so.
 */
export function parseHostAuditOutput(stdout: string): HostCommandOutputs {
  const lines = stdout.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  const done = new Map<string, CommandRun>();
  const files: { path: string; text: string }[] = [];
  let open: Section | null = null;
  let filesState: "none" | "open" | "closed" = "none";
  const cut = (s: Section) => record(s, cutShort(s));
  const record = (s: Section, run: CommandRun) => {
    if (s.name.startsWith("file ")) files.push(fileOf(s.name.slice(5), run));
    else if (!done.has(s.name)) done.set(s.name, run);
  };
  for (const line of lines) {
    const begin = /^@@begin (file .+|\S+?)(?: as=(root|sudo|user))?$/.exec(line);
    const end = /^@@end (file .+|\S+) code=(\d+|none)$/.exec(line);
    if (begin?.[1]) {
      if (open) cut(open);
      open = { name: begin[1], runAs: begin[2] as CommandRun["runAs"], out: [], err: [] };
    } else if (end?.[1] && open?.name === end[1]) {
      record(open, finished(open, end[2] === "none" ? null : Number(end[2])));
      open = null;
    } else if (open && (line.startsWith("o|") || line.startsWith("e|"))) {
      (line.startsWith("o|") ? open.out : open.err).push(line.slice(2));
    } else if (line === "@@files") {
      filesState = "open";
    } else if (line === "@@files-end") {
      filesState = "closed";
    }
  }
  if (open) cut(open);
  // Security: a drop-in list cut short could hide `PasswordAuthentication yes`: the config-file fallback must not judge.
  if (filesState === "open") files.push({ path: "/etc/ssh/sshd_config.d", text: "error: the list of sshd config files was cut short" });
  const problem = headerProblem(lines);
  const get = (name: SectionName): CommandRun => done.get(name) ?? missing(name, problem);
  return {
    uid: get("uid"),
    sshdT: get("sshdT"),
    sshdFiles: files,
    ufw: get("ufw"),
    nft: get("nft"),
    iptables: get("iptables"),
    ip6tables: get("ip6tables"),
    ss: get("ss"),
  };
}

function finished(s: Section, code: number | null): CommandRun {
  return { stdout: joinLines(s.out), stderr: joinLines(s.err), code, ...(s.runAs ? { runAs: s.runAs } : {}) };
}

function cutShort(s: Section): CommandRun {
  const what = s.name.startsWith("file ") ? s.name.slice(5) : commandOf(s.name);
  return {
    stdout: "",
    stderr: `error: the output of ${what} was cut short after ${s.out.length + s.err.length} lines (no end marker): not judged`,
    code: null,
  };
}

function missing(name: SectionName, problem: string | null): CommandRun {
  const why = problem ?? "the script stopped before it, or its output was cut short";
  return { stdout: "", stderr: `error: no ${AUDIT_SECTIONS[name]} section in the audit output (${why})`, code: null };
}

/** A config file as parseSshdConfigFiles takes it: an unreadable one carries its error, so the fallback stays unknown. */
function fileOf(path: string, run: CommandRun): { path: string; text: string } {
  if (run.code === 0) return { path, text: run.stdout };
  const said = run.stderr.trim() || `${path} could not be read`;
  return { path, text: said.startsWith("error: ") ? said : `error: ${said}` };
}

function headerProblem(lines: string[]): string | null {
  if (lines.includes("@@pxf-audit 1")) return null;
  const first = lines.find((l) => l.trim())?.slice(0, 120);
  return first ? `the output did not start with the audit header; it began with: ${first}` : "the audit printed nothing";
}

function commandOf(name: string): string {
  return name in AUDIT_SECTIONS ? AUDIT_SECTIONS[name as SectionName] : name;
}

function joinLines(lines: string[]): string {
  return lines.length ? `${lines.join("\n")}\n` : "";
}
