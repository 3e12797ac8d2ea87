/** What a command run where the proxy runs printed, and how it ended. */
export interface ProxyCommandResult {
  /** Null when it could not be read (killed, connection dropped). */
  exitCode: number | null;
  stdout: string;
  /** Stderr (or its tail, for long outputs). */
  stderr: string;
}

export interface ProxyRunOptions {
  /** Written to the command's stdin, then stdin is closed. */
  stdin?: string;
  /** What the panel is doing, for error messages, e.g. "check the new Caddyfile". */
  action?: string;
}

/**
 * Runs commands where the proxy runs: `docker exec` in its container, or SSH exec on the host when
 * the proxy is installed there. A non-zero exit is returned, not thrown: the caller knows what it
 * means. Transport failures (host unreachable, container gone) throw AppErrors naming the host.
 */
export interface ProxyRunner {
  /** Where commands run, as a phrase for messages: "on app", "in container pxlfox-proxy on app". */
  readonly where: string;
  /** Security: `argv` is an argument array; no shell sees it unless argv[0] is one. */
  run(argv: readonly string[], options?: ProxyRunOptions): Promise<ProxyCommandResult>;
}
