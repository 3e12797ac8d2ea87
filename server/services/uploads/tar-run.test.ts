import { describe, expect, it } from "vitest";
import type { SshTarget } from "@/server/adapters/ssh/types";
import { checkTarRun } from "./tar-run";

const target = { name: "app", host: "10.0.0.11", port: 22, username: "root" } as unknown as SshTarget;
const ctx = {
  what: "Uploads restore",
  doing: "extracting the archive",
  action: "restore the uploads",
  ignore: /is newer or same age/,
  after: "The safety archive holds the previous state.",
};
const run = (over: Partial<Parameters<typeof checkTarRun>[0]>) => ({
  exitCode: 0,
  stderrTail: "",
  connectionLost: false,
  timedOut: false,
  ...over,
});

describe("checkTarRun", () => {
  it("returns tar's warnings without the notices it was told to ignore", () => {
    expect(checkTarRun(run({ stderrTail: "tar: Current 'uploads/a' is newer or same age\ntar: odd permissions\n" }), target, ctx)).toBe(
      "tar: odd permissions",
    );
  });

  it("a non-zero exit names the host, the exit, tar's output and what to know next", () => {
    expect(() => checkTarRun(run({ exitCode: 2, stderrTail: "tar: Unexpected EOF in archive\n" }), target, ctx)).toThrow(
      /^Uploads restore failed on .*app.*: tar exited with 2\. Output: tar: Unexpected EOF in archive The safety archive holds the previous state\.$/,
    );
    expect(() => checkTarRun(run({ exitCode: null, signal: "KILL" }), target, ctx)).toThrow(/tar was killed by SIGKILL/);
  });

  it("a lost connection says so, whatever the exit", () => {
    expect(() => checkTarRun(run({ exitCode: null, connectionLost: true }), target, ctx)).toThrow(
      /Uploads restore failed: the SSH connection to .*app.* was lost while extracting the archive/,
    );
  });
});
