import { describe, expect, it } from "vitest";
import type { ExecOptions, ExecResult, SshTarget } from "@/server/adapters/ssh/types";
import { AppError } from "@/server/errors";
import type { HostExec } from "./host-files";
import { ensureReloadSafety, MIGRATE_REQ_FILE, readReloadSafety, undoReloadSafety } from "./reload-safety";

const target: SshTarget = {
  hostId: "h1",
  name: "proxy1",
  address: "10.0.0.5",
  port: 22,
  username: "root",
  privateKey: "unused",
  pinnedFingerprint: null,
  dockerSocket: "/var/run/docker.sock",
};

/** A proxy host as far as these commands go: the sysctl (null: an old kernel), files, and whether the user may write them. */
function fakeHost(initial: { value: "0" | "1" | null; files?: Record<string, string>; isRoot?: boolean }) {
  const host = {
    value: initial.value,
    files: new Map(Object.entries(initial.files ?? {})),
    isRoot: initial.isRoot ?? true,
    calls: [] as string[][],
  };
  const ok = (stdout = ""): ExecResult => ({ stdout, stderr: "", exitCode: 0, durationMs: 1 });
  const denied = (what: string) => new AppError("REMOTE_FAILED", `${what} on proxy1: Permission denied`);
  const exec: HostExec = async (_t, argv, options?: ExecOptions) => {
    host.calls.push(argv);
    const script = argv[0] === "sh" ? (argv[2] ?? "") : "";
    if (script.includes("persisted=")) {
      if (host.value === null) return ok("unsupported\n");
      const persisted = /^\s*net\.ipv4\.tcp_migrate_req\s*=\s*1/m.test(host.files.get(MIGRATE_REQ_FILE) ?? "");
      return ok(`value=${host.value}\npersisted=${persisted ? "yes" : "no"}\n`);
    }
    if (script.startsWith("umask 077")) {
      if (!host.isRoot) throw denied(`write ${argv[4]}`);
      const existed = host.files.has(argv[4]!);
      host.files.set(argv[4]!, String(options?.stdin ?? ""));
      return ok(existed ? "yes\n" : "no\n");
    }
    const echo = /^echo ([01]) > \/proc\/sys\/net\/ipv4\/tcp_migrate_req$/.exec(script);
    if (echo) {
      if (!host.isRoot) throw denied("set net.ipv4.tcp_migrate_req");
      host.value = echo[1] as "0" | "1";
      return ok();
    }
    if (argv[0] === "rm") {
      host.files.delete(argv[3]!);
      return ok();
    }
    throw new Error(`unexpected command ${JSON.stringify(argv)}`);
  };
  return { host, exec };
}

describe("reload safety: the proxy host's net.ipv4.tcp_migrate_req", () => {
  it("turns it on now and for the next boot, says what it changed, and a failed provision's undo puts both back", async () => {
    const { host, exec } = fakeHost({ value: "0" });
    const change = await ensureReloadSafety(exec, target);
    expect(change.ok).toBe(true);
    expect(change.message).toBe(
      `changed: net.ipv4.tcp_migrate_req 0 → 1, persisted in ${MIGRATE_REQ_FILE} on proxy1, so Caddy's config reloads keep the connections that arrive at that instant`,
    );
    expect(host.value).toBe("1");
    expect(host.files.get(MIGRATE_REQ_FILE)).toMatch(/^net\.ipv4\.tcp_migrate_req = 1$/m);
    expect(await readReloadSafety(exec, target)).toMatchObject({ state: "on", persisted: true });

    expect(await undoReloadSafety(exec, target, change)).toEqual([]);
    expect(host.value).toBe("0");
    expect(host.files.has(MIGRATE_REQ_FILE)).toBe(false);
  });

  it("changes nothing on a host that has it on and persisted", async () => {
    const { host, exec } = fakeHost({ value: "1", files: { [MIGRATE_REQ_FILE]: "net.ipv4.tcp_migrate_req = 1\n" } });
    const change = await ensureReloadSafety(exec, target);
    expect(change).toMatchObject({ ok: true, wroteFile: null });
    expect(change.message).toMatch(/^kept net\.ipv4\.tcp_migrate_req = 1 on proxy1 \(set in /);
    expect(host.calls).toHaveLength(1);
  });

  it("on but not persisted: only the file is written, and the undo keeps the value it found", async () => {
    const { host, exec } = fakeHost({ value: "1" });
    const change = await ensureReloadSafety(exec, target);
    expect(change.message).toBe(
      `changed: persisted in ${MIGRATE_REQ_FILE} on proxy1, so Caddy's config reloads keep the connections that arrive at that instant`,
    );
    expect(host.calls.some((c) => c[2]?.startsWith("echo"))).toBe(false);
    await undoReloadSafety(exec, target, change);
    expect(host.value).toBe("1");
  });

  it("a kernel without it (before 5.14) is reported, not failed, and nothing is written", async () => {
    const { host, exec } = fakeHost({ value: null });
    const change = await ensureReloadSafety(exec, target);
    expect(change.ok).toBe(false);
    expect(change.message).toMatch(
      /^proxy1's kernel has no net\.ipv4\.tcp_migrate_req \(it needs Linux 5\.14 or later\): Caddy opens a new listener/,
    );
    expect(host.files.size).toBe(0);
  });

  it("a user who may not set it gets the reason and the commands to run as root, and the caller goes on", async () => {
    const { host, exec } = fakeHost({ value: "0", isRoot: false });
    const change = await ensureReloadSafety(exec, target);
    expect(change.ok).toBe(false);
    expect(change.message).toContain("Permission denied");
    expect(change.message).toContain(`as root: echo 'net.ipv4.tcp_migrate_req = 1' > ${MIGRATE_REQ_FILE} && sysctl -p ${MIGRATE_REQ_FILE}`);
    expect(host.value).toBe("0");
  });

  it("an unreadable answer is unknown, never on", async () => {
    const exec: HostExec = async () => ({ stdout: "", stderr: "sh: cat: not found", exitCode: 127, durationMs: 1 });
    expect(await readReloadSafety(exec, target)).toMatchObject({
      state: "unknown",
      evidence: expect.stringContaining("sh: cat: not found"),
    });
  });
});
