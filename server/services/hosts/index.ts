export { testConnection, parseOsRelease, type ConnectionTestResult } from "./test-connection";
export { listContainers } from "./list-containers";
export { startContainer, stopContainer, restartContainer, type ContainerActionResult, type StopOptions } from "./container-actions";
export { assertContainerRef } from "./container-ref";
export { normalizeContainer, parseImageRef, type ContainerSummary, type ContainerHealth, type ContainerPort } from "./normalize-container";
export { createSshHostTransport, type HostTransport } from "./transport";
