import type { ClientChannel } from "ssh2";
import { describe, expect, it } from "vitest";
import { FakeChannel } from "./testing/fake-ssh";
import { collectOutput, recordExitStatus } from "./exec-channel";

const options = { timeoutMs: 5_000, maxBytes: 1024 };

describe("an exec whose command finishes in the packet that confirms it", () => {
  it("keeps its exit status: ssh2 emitted `exit` before the caller attached its listener", async () => {
    const channel = new FakeChannel();
    const ch = channel as unknown as ClientChannel;
    recordExitStatus(ch); // the pool, in the exec callback
    channel.emit("exit", 3); // parsed in the same chunk, before `await pool.exec(...)` resumes
    const outcome = collectOutput(ch, options);
    channel.close();
    expect(await outcome).toMatchObject({ exitCode: 3, timedOut: false });
  });

  it("keeps a signal too, and a status that comes later as usual", async () => {
    const early = new FakeChannel();
    recordExitStatus(early as unknown as ClientChannel);
    early.emit("exit", null, "KILL");
    const killed = collectOutput(early as unknown as ClientChannel, options);
    early.close();
    expect(await killed).toMatchObject({ exitCode: null, signal: "KILL" });

    const late = new FakeChannel();
    recordExitStatus(late as unknown as ClientChannel);
    const outcome = collectOutput(late as unknown as ClientChannel, options);
    late.emit("exit", 0);
    late.close();
    expect(await outcome).toMatchObject({ exitCode: 0 });
  });
});

describe("an exec whose `exit` no listener saw", () => {
  it("takes the status from `close`, which ssh2 calls with it, or from the status ssh2 kept on the channel", async () => {
    const viaClose = new FakeChannel();
    const first = collectOutput(viaClose as unknown as ClientChannel, options);
    viaClose.emit("close", 0);
    expect(await first).toMatchObject({ exitCode: 0, timedOut: false });

    const kept = new FakeChannel();
    (kept as unknown as { _exit: { code: number } })._exit = { code: 3 };
    const second = collectOutput(kept as unknown as ClientChannel, options);
    kept.emit("close");
    expect(await second).toMatchObject({ exitCode: 3 });
  });

  it("still reads a channel closed without any status (connection lost) as no exit code", async () => {
    const lost = new FakeChannel();
    const outcome = collectOutput(lost as unknown as ClientChannel, options);
    lost.emit("close");
    expect(await outcome).toMatchObject({ exitCode: null, timedOut: false });
  });
});
