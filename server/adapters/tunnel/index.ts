export { openTunnel, withTunnel, openForwardedStream, mapForwardOpenError, type Tunnel, type TunnelOptions } from "./tunnel";
