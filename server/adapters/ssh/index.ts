export { execCommand, quoteArgv } from "./exec";
export { computeFingerprint, fingerprintFromPublicKeyLine, normalizeFingerprint, verifyHostKey } from "./fingerprint";
export { fetchHostKeyFingerprint, openSshConnection } from "./connect";
export { mapSshError, type SshErrorContext } from "./map-ssh-error";
export { pingHost } from "./ping";
export { getSshPool, SshPool, type SshPoolOptions, type ChannelErrorMapper, type ChannelOptions } from "./pool";
export { describeTarget, type ChannelPurpose, type ExecOptions, type ExecResult, type SshHostStats, type SshTarget } from "./types";
