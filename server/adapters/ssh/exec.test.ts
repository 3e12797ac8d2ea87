import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { execCommand, quoteArgv, withRemoteTimeout } from "./exec";
import { localShellPool } from "@/server/adapters/ssh/testing/fake-ssh";
import type { SshTarget } from "./types";

const target: SshTarget = {
  hostId: "h1",
  name: "app",
  address: "10.213.77.11",
  port: 22,
  username: "root",
  privateKey: "",
  pinnedFingerprint: "SHA256:x",
  dockerSocket: "/run/docker.sock",
};
const dir = mkdtempSync(path.join(tmpdir(), "pxf-exec-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("execCommand argv quoting (Security)", () => {
  const marker = path.join(dir, "pwned");
  const hostile = [
    `$(touch ${marker})`,
    `\`touch ${marker}\``,
    `a; touch ${marker}`,
    `a && touch ${marker}`,
    `| touch ${marker}`,
    `> ${marker}`,
    "line1\nline2",
    "it's",
    'say "hi"',
    "*",
    "$HOME",
    "a b  c",
    "",
    "back\\slash",
    "#not-a-comment",
    "~",
    "-n",
    "tab\there",
  ];

  it("delivers shell metacharacters, substitutions and newlines as literal arguments", async () => {
    const { pool } = localShellPool();
    const result = await execCommand(target, ["printf", "%s\\0", ...hostile], { pool });
    expect(result.exitCode).toBe(0);
    expect(result.stdout.split("\0").slice(0, -1)).toEqual(hostile);
    expect(existsSync(marker)).toBe(false);
  });

  it("keeps the words intact under the remote timeout wrapper too", async () => {
    const { pool, commands } = localShellPool();
    await execCommand(target, ["true", "$(id)"], { pool, timeoutMs: 5000 });
    expect(commands[0]).toBe("timeout -k 5 6 true \\$\\(id\\)");
    expect(withRemoteTimeout(["x"], 1500)).toEqual(["timeout", "-k", "5", "3", "x"]);
  });

  it("refuses empty commands and NUL bytes", () => {
    expect(() => quoteArgv([])).toThrow(/empty command/);
    expect(() => quoteArgv(["echo", "a\0b"])).toThrow(/NUL/);
  });

  it("passes stdin through", async () => {
    const { pool } = localShellPool();
    const result = await execCommand(target, ["cat"], { pool, stdin: "hello\n" });
    expect(result.stdout).toBe("hello\n");
  });
});

describe("execCommand results", () => {
  it("throws REMOTE_FAILED naming host, command, exit code and the stderr tail, with secrets redacted", async () => {
    const { pool } = localShellPool();
    const secret = "Sup3rSecretPw";
    const error = await execCommand(target, ["sh", "-c", `echo "denied for ${secret}" >&2; exit 7`, secret], {
      pool,
      secrets: [secret],
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "REMOTE_FAILED", host: "app", data: { exitCode: 7 } });
    const message = (error as Error).message;
    expect(message).toContain("app (10.213.77.11:22)");
    expect(message).toContain("exited with code 7");
    expect(message).toContain("denied for [REDACTED]");
    expect(message).not.toContain(secret);
  });

  it("returns non-zero exits when asked not to throw", async () => {
    const { pool } = localShellPool();
    const result = await execCommand(target, ["sh", "-c", "exit 3"], { pool, throwOnNonZero: false });
    expect(result.exitCode).toBe(3);
  });

  it("times out with HOST_TIMEOUT and stops the process", async () => {
    const { pool } = localShellPool();
    const started = Date.now();
    const error = await execCommand(target, ["sleep", "5"], { pool, timeoutMs: 300, remoteTimeout: false }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "HOST_TIMEOUT", host: "app" });
    expect((error as Error).message).toContain("app (10.213.77.11:22)");
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
