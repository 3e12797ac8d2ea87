/** Test fixtures: running configs and exported services, as readRunningConfig and the export make them. Not used by production code. */
import type { ExportedService } from "../compose-export";
import type { RoleSpec } from "../role-spec";
import type { RunningConfig } from "../running-config";

export const running = (o: Partial<RunningConfig> = {}): RunningConfig => ({
  container: "pxlfox-app",
  image: "ghcr.io/pixelfox/pixelfox:v1.4.0",
  running: true,
  cmd: [],
  networkMode: "bridge",
  ports: [],
  binds: [],
  env: {},
  labels: {},
  restart: "always",
  ...o,
});

/** What a container created from `spec` runs with (restart always, as toCreateSpec sets it). */
export const runningOf = (spec: RoleSpec): RunningConfig =>
  running({
    container: spec.container,
    image: spec.image,
    cmd: spec.cmd ?? [],
    networkMode: spec.networkMode,
    ports: spec.ports,
    binds: spec.binds.map((b) => ({ ...b, readOnly: Boolean(b.readOnly) })),
    env: spec.env,
    labels: spec.labels,
  });

/** The export of a container created from `spec`: its own env and command. */
export const exportedOf = (spec: RoleSpec, service: string = spec.role): ExportedService => ({
  service,
  config: runningOf(spec),
  env: Object.entries(spec.env),
  command: spec.cmd ?? null,
});
