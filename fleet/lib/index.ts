/** Public API of the sandbox fleet, for tests and scripts. */
export { readFleetStatus, readFleetStatusNow, formatStatus, type FleetStatus, type FleetHostStatus } from "./status.js";
export { rekeyHost, restoreHostKey, stopSshd, startSshd, fingerprintOfPub } from "./sshd.js";
export { up, down, resetBare, resetPlan, type UpOptions } from "./fleet.js";
export { CORE_HOSTS, allHosts, type HostSpec, type Role } from "./hosts.js";
export * as paths from "./paths.js";
