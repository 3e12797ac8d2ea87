/** A scriptable HostTransport for unit tests (no network). Not used by production code. */
import type Docker from "dockerode";
import { dockerClientOver } from "@/server/adapters/docker/ssh-docker";
import type { ContainerInspect, ContainerSummaryInfo } from "@/server/adapters/docker";
import type { ExecResult, SshTarget } from "@/server/adapters/ssh/types";
import type { HostTransport } from "../transport";

export interface FakeTransportScript {
  pings?: number[];
  exec?: (argv: string[]) => Partial<ExecResult>;
  containers?: ContainerSummaryInfo[];
  inspect?: (id: string) => ContainerInspect;
  version?: () => Promise<{ Version: string; ApiVersion: string }>;
  /** Raw Engine answers (errors carry `statusCode` as dockerode's do): mapped by the real client code. */
  action?: (verb: "start" | "stop" | "restart", id: string, options?: { t?: number }) => Promise<unknown>;
}

export function createFakeTransport(script: FakeTransportScript = {}) {
  const calls: string[] = [];
  const pings = [...(script.pings ?? [1])];
  const container = (id: string) => ({
    inspect: async () => {
      calls.push(`inspect ${id}`);
      if (!script.inspect) throw Object.assign(new Error("no such container"), { statusCode: 404 });
      return script.inspect(id);
    },
    start: async () => (calls.push(`start ${id}`), script.action?.("start", id)),
    stop: async (o?: { t?: number }) => (calls.push(`stop ${id} t=${o?.t}`), script.action?.("stop", id, o)),
    restart: async (o?: { t?: number }) => (calls.push(`restart ${id} t=${o?.t}`), script.action?.("restart", id, o)),
  });
  // A scripted dockerode: the real DockerClient code wraps it, so errors are mapped as in production.
  const engine = {
    version: async () => (calls.push("version"), script.version ? script.version() : { Version: "27.0.0", ApiVersion: "1.46" }),
    listContainers: async (options: { all: boolean }) => (calls.push(`list all=${options.all}`), script.containers ?? []),
    getContainer: container,
  } as unknown as Docker;
  const transport: HostTransport = {
    connect: async (_t: SshTarget, options) => void calls.push(`connect force=${Boolean(options?.force)}`),
    ping: async () => (calls.push("ping"), pings.length > 1 ? pings.shift()! : pings[0]!),
    exec: async (_t, argv) => {
      calls.push(`exec ${argv.join(" ")}`);
      return { stdout: "", stderr: "", exitCode: 0, durationMs: 1, ...script.exec?.(argv) };
    },
    docker: (target) => dockerClientOver(target, () => engine),
  };
  return { transport, calls };
}
