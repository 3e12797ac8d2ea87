export { createCaddyAdmin, readCaddyError, withCaddyAdmin, type AdminResponse, type CaddyAdmin } from "./admin-client";
export { configPath, findReverseProxyHandlers, getCaddyConfig, pickUpstreamHandler, type ReverseProxyHandler } from "./config";
export { assertValidDials, assertValidUpstreamId, isValidDial } from "./dial";
export { getUpstreamHealth, getUpstreams, setUpstreams, type SetUpstreamsOptions } from "./upstreams";
export type { CaddyOptions, UpstreamHealth } from "./types";
