import { formatEnv, type EnvEntry } from "@/server/services/env/env-format";
import { hostFileProblem } from "@/server/services/env/env-quoting";
import type { RunningConfig } from "./running-config";

/** One service of an exported compose file: what a container runs, as compose spells it. */
export interface ExportedService {
  service: string;
  config: RunningConfig;
  /** The env that is the container's own (not the image's defaults): goes to the service's env file. */
  env: EnvEntry[];
  /** The command, only when it is not the image's own. */
  command: string[] | null;
}

// YAML: every scalar as a JSON string (a valid YAML double-quoted scalar), so no value can break the file;
// what JSON leaves raw but YAML does not read back (DEL, C1 controls, NEL and the Unicode line and
// paragraph separators, BOM, non-characters) escaped too.
const key = (v: string | number) =>
  JSON.stringify(String(v)).replace(
    /[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
// Security: compose substitutes ${VAR} and $VAR in values (not keys) from the shell and the project's .env:
// an exported command such as Redis's `--requirepass "$CACHE_PASSWORD"` would start with the password
// compose finds (or none). `$$` is compose's literal `$`.
const q = (v: string | number) => key(String(v).replaceAll("$", () => "$$"));

/**
 * The `docker compose` file that describes what the panel created on a host: each container's image,
 * command, env file, published ports, volumes, network mode, restart policy and the panel's labels.
 * With the env files beside it, `docker compose up -d` there starts the same thing.
 */
export function composeYaml(host: string, services: ExportedService[], when: Date): string {
  const lines = [
    `# What PixelFox Ops runs on ${host}, read from Docker on ${when.toISOString()}.`,
    "# Start the same with: docker compose up -d",
    "services:",
  ];
  for (const s of services) {
    const c = s.config;
    lines.push(
      `  ${s.service}:`,
      `    container_name: ${q(c.container)}`,
      `    image: ${q(c.image)}`,
      `    restart: ${q(c.restart === "no" ? "no" : c.restart)}`,
    );
    if (s.command) lines.push("    command:", ...s.command.map((a) => `      - ${q(a)}`));
    if (s.env.length) lines.push("    env_file:", `      - ${q(`${s.service}.env`)}`);
    // As it runs: host, Docker's default bridge (without network_mode compose would make a project
    // network), or a network of its own, attached as an external network.
    const network = networkOf(c.networkMode);
    if (network.kind === "named") lines.push("    networks:", `      - ${q(network.name)}`);
    else lines.push(`    network_mode: ${q(network.kind)}`);
    if (network.kind !== "host" && c.ports.length)
      lines.push("    ports:", ...c.ports.map((p) => `      - ${q(`${p.hostIp ? `${p.hostIp}:` : ""}${p.hostPort}:${p.containerPort}`)}`));
    if (c.binds.length)
      lines.push("    volumes:", ...c.binds.map((b) => `      - ${q(`${b.host}:${b.container}${b.readOnly ? ":ro" : ""}`)}`));
    const labels = Object.entries(c.labels).filter(([k]) => k.startsWith("com.pixelfox."));
    if (labels.length) lines.push("    labels:", ...labels.map(([k, v]) => `      ${key(k)}: ${q(v)}`));
  }
  const named = [...new Set(services.map((s) => networkOf(s.config.networkMode)).flatMap((n) => (n.kind === "named" ? [n.name] : [])))];
  if (named.length) lines.push("networks:", ...named.flatMap((n) => [`  ${key(n)}:`, "    external: true"]));
  return lines.join("\n") + "\n";
}

function networkOf(mode: string): { kind: "host" | "bridge" } | { kind: "named"; name: string } {
  if (mode === "host") return { kind: "host" };
  if (mode === "bridge" || mode === "default" || !mode) return { kind: "bridge" };
  return { kind: "named", name: mode };
}

/** A service's env file next to the compose file (quoted so compose, a shell and the app read it the same). */
export function envFileText(service: ExportedService): string {
  // A value no quoting carries to every reader is written anyway (it is what runs) with a warning that names
  // the key and the rule, never the value.
  const warnings = service.env.flatMap(([k, v]) => {
    const problem = hostFileProblem(k, v);
    return problem ? [`# Warning: ${problem.replace(/[\r\n]/g, " ")}`] : [];
  });
  return [`# Environment of ${service.config.container} (secrets: keep this file at mode 0600)`, ...warnings, formatEnv(service.env)].join(
    "\n",
  );
}
