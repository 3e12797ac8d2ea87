/** A scriptable HostTransport for unit tests (no network). Not used by production code. */
import type Docker from "dockerode";
import type { ExecResult, SshTarget } from "@/server/adapters/ssh/types";
import type { ContainerApi, DockerApi, HostTransport } from "./transport";

export interface FakeTransportScript {
  pings?: number[];
  exec?: (argv: string[]) => Partial<ExecResult>;
  containers?: Docker.ContainerInfo[];
  inspect?: (id: string) => Docker.ContainerInspectInfo;
  version?: () => Promise<{ Version: string; ApiVersion: string }>;
  action?: (verb: "start" | "stop" | "restart", id: string, options?: { t?: number }) => Promise<unknown>;
}

export function createFakeTransport(script: FakeTransportScript = {}) {
  const calls: string[] = [];
  const pings = [...(script.pings ?? [1])];
  const container = (id: string): ContainerApi => ({
    inspect: async () => {
      calls.push(`inspect ${id}`);
      if (!script.inspect) throw Object.assign(new Error("no such container"), { statusCode: 404 });
      return script.inspect(id);
    },
    start: async () => (calls.push(`start ${id}`), script.action?.("start", id)),
    stop: async (o) => (calls.push(`stop ${id} t=${o?.t}`), script.action?.("stop", id, o)),
    restart: async (o) => (calls.push(`restart ${id} t=${o?.t}`), script.action?.("restart", id, o)),
  });
  const docker: DockerApi = {
    version: async () => (calls.push("version"), script.version ? script.version() : { Version: "27.0.0", ApiVersion: "1.46" }),
    listContainers: async (options) => (calls.push(`list all=${options.all}`), script.containers ?? []),
    getContainer: container,
  };
  const transport: HostTransport = {
    connect: async (_t: SshTarget, options) => void calls.push(`connect force=${Boolean(options?.force)}`),
    ping: async () => (calls.push("ping"), pings.length > 1 ? pings.shift()! : pings[0]!),
    exec: async (_t, argv) => {
      calls.push(`exec ${argv.join(" ")}`);
      return { stdout: "", stderr: "", exitCode: 0, durationMs: 1, ...script.exec?.(argv) };
    },
    docker: () => docker,
  };
  return { transport, calls };
}
