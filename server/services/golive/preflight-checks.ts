import type { ProvisionRole } from "@/server/domain/golive";
import { parseListeningSockets } from "@/server/services/security-audit/parsers/parse-listening-sockets";

/** One preflight item: never a guess: unknown when it could not be read. */
export interface PreflightItem {
  id: string;
  label: string;
  status: "pass" | "fail" | "unknown";
  evidence: string;
  /** What to do when it fails (or is unknown). */
  fix?: string;
}

/** Where each role keeps its data and which ports it needs, as the plan lays them out. */
export const ROLE_NEEDS: Record<ProvisionRole, { dirs: string[]; ports: number[]; container: string; minFreeMb: number }> = {
  db: { dirs: ["/srv/mysql/data"], ports: [3306], container: "pxlfox-db", minFreeMb: 2048 },
  cache: { dirs: ["/srv/dragonfly/data"], ports: [6379], container: "pxlfox-cache", minFreeMb: 512 },
  app: { dirs: ["/srv/pixelfox/uploads", "/srv/pixelfox/tmp"], ports: [4000], container: "pxlfox-app", minFreeMb: 1024 },
  storage: { dirs: ["/srv/pixelfox/uploads", "/srv/pixelfox/tmp"], ports: [4000], container: "pxlfox-storage", minFreeMb: 1024 },
  proxy: { dirs: ["/srv/caddy/data", "/srv/caddy/config"], ports: [80, 443], container: "pxlfox-proxy", minFreeMb: 256 },
};

/**
 * One read-only shell run per host (one SSH channel): the clock, df and df -i of /srv (or /, where
 * /srv does not exist yet), the role directories, listening sockets and the compose plugin. Every
 * section is framed so a missing tool shows as an unreadable section, not as a pass.
 */
export const PREFLIGHT_SCRIPT = [
  'echo "@@date"; date +%s',
  'd=/srv; [ -d "$d" ] || d=/; echo "@@df $d"; df -Pk "$d" 2>&1 | tail -n 1',
  'echo "@@dfi"; df -Pi "$d" 2>&1 | tail -n 1',
  'echo "@@dirs"; for p in "$@"; do if [ -e "$p" ]; then stat -c "%n %F %a %U:%G" "$p"; else echo "$p missing"; fi; done',
  'echo "@@ss"; ss -ltnpH 2>&1 || ss -ltnH 2>&1',
  'echo "@@compose"; docker compose version 2>&1 | head -n 1',
].join("; ");

export function sections(stdout: string): Map<string, string> {
  const out = new Map<string, string>();
  let key: string | null = null;
  for (const line of stdout.split("\n")) {
    const m = /^@@(\S+)(?: (.*))?$/.exec(line);
    if (m) {
      key = m[1]!;
      out.set(key, m[2] ? `${m[2]}\n` : "");
    } else if (key) out.set(key, (out.get(key) ?? "") + line + "\n");
  }
  return out;
}

export function checkClock(section: string | undefined, panelNowS: number): PreflightItem {
  const hostS = Number(section?.trim());
  if (!Number.isFinite(hostS) || hostS <= 0)
    return { id: "clock", label: "Clock", status: "unknown", evidence: `date printed ${JSON.stringify(section?.trim() ?? "")}` };
  const skew = hostS - panelNowS;
  const ok = Math.abs(skew) <= 5;
  return {
    id: "clock",
    label: "Clock skew against the panel",
    status: ok ? "pass" : "fail",
    evidence: `host ${new Date(hostS * 1000).toISOString()}, ${skew >= 0 ? "+" : ""}${skew} s`,
    ...(ok ? {} : { fix: "Enable time sync on the host (timedatectl set-ntp true, or chrony); TLS and the backups' times depend on it." }),
  };
}

export function checkDisk(df: string | undefined, dfi: string | undefined, minFreeMb: number): PreflightItem[] {
  const [dir = "/", ...rest] = (df ?? "").split("\n");
  const cols = rest.join(" ").trim().split(/\s+/);
  const availKb = Number(cols[3]);
  const icols = (dfi ?? "").trim().split(/\s+/);
  const ifree = Number(icols[3]);
  const itotal = Number(icols[1]);
  const disk: PreflightItem = Number.isFinite(availKb)
    ? {
        id: "disk",
        label: `Free disk on ${dir}`,
        status: availKb / 1024 >= minFreeMb ? "pass" : "fail",
        evidence: `${(availKb / 1024 / 1024).toFixed(1)} GiB free (the role needs at least ${(minFreeMb / 1024).toFixed(1)} GiB)`,
        ...(availKb / 1024 >= minFreeMb ? {} : { fix: `Free space on ${dir} or grow the disk before provisioning.` }),
      }
    : { id: "disk", label: "Free disk", status: "unknown", evidence: `df printed ${JSON.stringify(rest.join(" ").slice(0, 120))}` };
  const inodes: PreflightItem =
    Number.isFinite(ifree) && Number.isFinite(itotal)
      ? {
          id: "inodes",
          label: `Free inodes on ${dir}`,
          status: itotal === 0 || ifree / itotal >= 0.05 ? "pass" : "fail",
          evidence:
            itotal === 0 ? "the filesystem does not count inodes" : `${ifree} of ${itotal} free (${((ifree / itotal) * 100).toFixed(0)} %)`,
          ...(itotal === 0 || ifree / itotal >= 0.05
            ? {}
            : { fix: "Remove small files (old images, logs) before provisioning: uploads need inodes." }),
        }
      : { id: "inodes", label: "Free inodes", status: "unknown", evidence: `df -i printed ${JSON.stringify((dfi ?? "").slice(0, 120))}` };
  return [disk, inodes];
}

export function checkDirs(section: string | undefined, dirs: string[]): PreflightItem {
  const answer = (section ?? "").split("\n").filter(Boolean);
  // Each directory's own line, `<path> missing` or stat's `<path> <type> <mode> <user>:<group>`; anything
  // else (stat not installed, a line cut short) leaves it unknown rather than a guess.
  const lines = dirs.map((d) =>
    answer.find((l) => l === `${d} missing` || (l.startsWith(`${d} `) && /^\S+ [a-z][a-z ]* [0-7]{3,4} \S+:\S+$/.test(l))),
  );
  if (!lines.every((l): l is string => l !== undefined))
    return { id: "dirs", label: "Role directories", status: "unknown", evidence: answer.join("\n") || "no answer" };
  const bad = lines.filter((l) => !/ missing$/.test(l) && !/ directory /.test(l));
  return {
    id: "dirs",
    label: "Role directories",
    status: bad.length ? "fail" : "pass",
    evidence: lines.map((l) => (/ missing$/.test(l) ? `${l.replace(/ missing$/, "")}: missing (provisioning creates it)` : l)).join("\n"),
    ...(bad.length ? { fix: `Something that is not a directory is in the way: ${bad.join("; ")}. Move it aside.` } : {}),
  };
}

export function checkPorts(section: string | undefined, ports: number[]): PreflightItem {
  const parsed = parseListeningSockets(section ?? "");
  if (!parsed.readable)
    return {
      id: "ports",
      label: `Ports ${ports.join(", ")}`,
      status: "unknown",
      evidence: parsed.problem ?? "ss could not be read",
      fix: "Install iproute2 (ss) on the host.",
    };
  const taken = parsed.sockets.filter((s) => ports.includes(s.port));
  return {
    id: "ports",
    label: `Ports ${ports.join(", ")} free`,
    status: taken.length ? "fail" : "pass",
    evidence: taken.length ? taken.map((s) => s.raw.trim()).join("\n") : `nothing listens on ${ports.join(", ")}`,
    ...(taken.length
      ? { fix: `Stop what listens on ${[...new Set(taken.map((s) => s.port))].join(", ")}, or place the role on another host.` }
      : {}),
  };
}

export function checkCompose(section: string | undefined): PreflightItem {
  const text = (section ?? "").trim();
  const has = /Docker Compose version/i.test(text);
  // Only a version line counts: "docker: 'compose' is not a docker command" is an answer too.
  return {
    id: "compose",
    label: "Docker Compose plugin (optional)",
    status: has ? "pass" : "unknown",
    evidence: has
      ? text
      : `not installed (${text.slice(0, 80) || "no answer"}): not needed, the panel creates containers through the Docker API; the exported compose files need it`,
    ...(has ? {} : { fix: "Optional: install docker-compose-plugin to start the stack from the exported compose files" }),
  };
}
