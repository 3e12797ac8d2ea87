export { createCaddyAdmin, readCaddyError, withCaddyAdmin, type AdminResponse, type CaddyAdmin } from "./admin-client";
export {
  configPath,
  findReverseProxyHandlers,
  getCaddyConfig,
  pickHandlerByDials,
  pickUpstreamHandler,
  readConfig,
  type ReverseProxyHandler,
} from "./config";
export { assertValidDials, assertValidUpstreamId, isValidDial } from "./dial";
export { locateByIdOrDials, locateByIdOrOnly, type UpstreamLocator, type UpstreamsLocation } from "./locate";
export {
  getUpstreamHealth,
  getUpstreams,
  sameDials,
  setUpstreams,
  switchUpstreamsAt,
  type SetUpstreamsOptions,
  type UpstreamsSwitch,
} from "./upstreams";
export type { CaddyOptions, UpstreamHealth } from "./types";
