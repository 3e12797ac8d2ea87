import { formatEnv, type EnvEntry } from "@/server/services/env/env-format";
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

// YAML: every scalar as a JSON string (a valid YAML double-quoted scalar), so no value can break the file.
const q = (v: string | number) => JSON.stringify(String(v));

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
    if (labels.length) lines.push("    labels:", ...labels.map(([k, v]) => `      ${q(k)}: ${q(v)}`));
  }
  const named = [...new Set(services.map((s) => networkOf(s.config.networkMode)).flatMap((n) => (n.kind === "named" ? [n.name] : [])))];
  if (named.length) lines.push("networks:", ...named.flatMap((n) => [`  ${q(n)}:`, "    external: true"]));
  return lines.join("\n") + "\n";
}

function networkOf(mode: string): { kind: "host" | "bridge" } | { kind: "named"; name: string } {
  if (mode === "host") return { kind: "host" };
  if (mode === "bridge" || mode === "default" || !mode) return { kind: "bridge" };
  return { kind: "named", name: mode };
}

/** A service's env file next to the compose file (quoted so compose, a shell and the app read it the same). */
export function envFileText(service: ExportedService): string {
  return `# Environment of ${service.config.container} (secrets: keep this file at mode 0600)\n${formatEnv(service.env)}`;
}
