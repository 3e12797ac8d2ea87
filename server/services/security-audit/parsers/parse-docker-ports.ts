import { findErrorMessage, makeEvidence, unreadableOutput, type DockerPublishedPort, type Known, type ParsedOutput } from "./types";

/** One host port Docker forwards into a container. */
export interface PublishedBinding {
  /** As Docker reports it: "" (all interfaces, in PortBindings), "0.0.0.0", "::", "127.0.0.1"… */
  hostIp: string;
  /** Unknown for `HostPort: ""` in PortBindings: Docker picks a free port when the container starts. */
  hostPort: Known<number>;
  containerPort: number;
  proto: string;
  /** Reachable on every host address, so a host firewall's INPUT rules do not restrict it. */
  isAllInterfaces: boolean;
}

export interface ContainerBindings {
  name: string;
  networkMode: Known<string>;
  isHostNetwork: boolean;
  /** Why the bindings say nothing (host network), or where they came from. */
  note: string | null;
  bindings: PublishedBinding[];
}

export interface DockerPorts extends ParsedOutput {
  containers: ContainerBindings[];
}

type Json = Record<string, unknown>;
const HOST_NETWORK_NOTE = "network_mode host: no port mapping, its ports are the process's own listening sockets (see ss)";

/** Port bindings from `GET /containers/json` (each item's `Ports: [{IP, PrivatePort, PublicPort, Type}]`). */
export function parseContainerListPorts(input: unknown): DockerPorts {
  const list = asJson(input);
  if (!Array.isArray(list)) return unknownPorts("Not a Docker container list", input);
  const containers: ContainerBindings[] = [];
  for (const item of list) {
    if (!isObject(item) || !Array.isArray(item.Ports)) return unknownPorts("A container in the list has no Ports field", input);
    const networkMode =
      isObject(item.HostConfig) && typeof item.HostConfig.NetworkMode === "string" ? item.HostConfig.NetworkMode : "unknown";
    const bindings = item.Ports.filter(isObject).flatMap((p): PublishedBinding[] => {
      if (typeof p.PublicPort !== "number" || typeof p.PrivatePort !== "number") return []; // exposed, not published
      const hostIp = typeof p.IP === "string" ? p.IP : "";
      return [
        {
          hostIp,
          hostPort: p.PublicPort,
          containerPort: p.PrivatePort,
          proto: String(p.Type ?? "tcp"),
          isAllInterfaces: isAllInterfacesIp(hostIp),
        },
      ];
    });
    containers.push(withNetwork(nameOf(item.Names), networkMode, bindings, null));
  }
  return { readable: true, problem: null, containers, evidence: evidenceOf(containers) };
}

/**
 * Port bindings from container inspect: `NetworkSettings.Ports` (what a running container has) or, when that is empty
 * (a stopped container), `HostConfig.PortBindings` (what it will get), where HostIp "" means all interfaces.
 */
export function parseContainerInspectPorts(input: unknown): DockerPorts {
  const parsed = asJson(input);
  const items = Array.isArray(parsed) ? parsed : [parsed];
  const containers: ContainerBindings[] = [];
  for (const item of items) {
    if (!isObject(item) || !isObject(item.HostConfig)) return unknownPorts("Not a Docker container inspect result", input);
    const networkMode = typeof item.HostConfig.NetworkMode === "string" ? item.HostConfig.NetworkMode : "unknown";
    const live = isObject(item.NetworkSettings) && isObject(item.NetworkSettings.Ports) ? item.NetworkSettings.Ports : {};
    const intended = isObject(item.HostConfig.PortBindings) ? item.HostConfig.PortBindings : {};
    const useLive = Object.values(live).some((v) => Array.isArray(v) && v.length > 0);
    const bindings = bindingsOfPortMap(useLive ? live : intended);
    const note = bindings.length
      ? useLive
        ? "from NetworkSettings.Ports (running)"
        : "from HostConfig.PortBindings (applied when it starts)"
      : null;
    containers.push(withNetwork(nameOf(item.Name), networkMode, bindings, note));
  }
  return { readable: true, problem: null, containers, evidence: evidenceOf(containers) };
}

/** `{ "3306/tcp": [{ HostIp: "", HostPort: "3306" }], "33060/tcp": null }` → bindings (null: exposed only). */
function bindingsOfPortMap(map: Json): PublishedBinding[] {
  return Object.entries(map).flatMap(([key, list]) => {
    const [port, proto = "tcp"] = key.split("/");
    const containerPort = Number(port);
    if (!Array.isArray(list) || !Number.isInteger(containerPort)) return [];
    return list.filter(isObject).map((b) => {
      const hostIp = typeof b.HostIp === "string" ? b.HostIp : "";
      const hostPort = Number(b.HostPort);
      return {
        hostIp,
        hostPort: b.HostPort && Number.isInteger(hostPort) ? hostPort : "unknown",
        containerPort,
        proto,
        isAllInterfaces: isAllInterfacesIp(hostIp),
      };
    });
  });
}

function withNetwork(name: string, networkMode: Known<string>, bindings: PublishedBinding[], note: string | null): ContainerBindings {
  const isHostNetwork = networkMode === "host";
  return { name, networkMode, isHostNetwork, note: isHostNetwork ? HOST_NETWORK_NOTE : note, bindings };
}

/** The bindings in the firewall evaluator's terms (host ports Docker picks at start are left out: not known yet). */
export function toDockerPublished(containers: readonly ContainerBindings[]): DockerPublishedPort[] {
  return containers.flatMap((c) =>
    c.bindings.flatMap((b) => {
      if (b.hostPort === "unknown") return [];
      const rule = `${c.name}: ${b.hostIp || "(all)"}:${b.hostPort} → ${b.containerPort}/${b.proto}`;
      return [
        {
          hostIp: b.isAllInterfaces ? "any" : b.hostIp,
          hostPort: { from: b.hostPort, to: b.hostPort },
          proto: b.proto,
          destination: `${c.name}:${b.containerPort}`,
          rule,
        },
      ];
    }),
  );
}

/** HostIp "" (PortBindings), "0.0.0.0" or "::" all mean every host address. */
export function isAllInterfacesIp(hostIp: string): boolean {
  return hostIp === "" || hostIp === "0.0.0.0" || hostIp === "::";
}

function evidenceOf(containers: ContainerBindings[]): string {
  return makeEvidence(
    containers.flatMap((c) => {
      if (c.isHostNetwork) return [`${c.name}: ${HOST_NETWORK_NOTE}`];
      if (!c.bindings.length) return [`${c.name}: no published port`];
      return c.bindings.map(
        (b) =>
          `${c.name}: ${b.hostIp || "(all)"}:${b.hostPort} → ${b.containerPort}/${b.proto}${b.isAllInterfaces ? " (all interfaces)" : ""}`,
      );
    }),
  );
}

function nameOf(names: unknown): string {
  const first = Array.isArray(names) ? names[0] : names;
  return typeof first === "string" ? first.replace(/^\//, "") : "(unnamed)";
}

/** Objects pass through; text is parsed as JSON (an error message from the CLI is not). */
function asJson(input: unknown): unknown {
  if (typeof input !== "string") return input;
  try {
    return JSON.parse(input) as unknown;
  } catch {
    return undefined;
  }
}

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function unknownPorts(problem: string, input: unknown): DockerPorts {
  const text = typeof input === "string" ? input : "";
  return { containers: [], ...unreadableOutput(findErrorMessage(text) ? `Docker said: ${findErrorMessage(text)}` : problem, text) };
}
