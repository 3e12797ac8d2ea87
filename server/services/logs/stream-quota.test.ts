import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import type { Actor } from "@/server/services/auth/actor";
import type { DockerLogSource, OpenLogSource } from "./docker-log-source";
import { openSharedLogStream } from "./log-hub";
import { ZLogStreamQuery } from "./query";
import { LogStreamQuota, openCountedStream, releaseWhenDone, viewerKeyOf } from "./stream-quota";

const app = { hostId: "h-app", name: "app" };
const db = { hostId: "h-db", name: "db" };
const cache = { hostId: "h-cache", name: "cache" };
const tick = () => new Promise((resolve) => setImmediate(resolve));

/** A viewer's body: `chunks`, then the end when `isEnded` (a followed log stays open). */
function body(chunks: string[] = [], isEnded = false): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const c of chunks) controller.enqueue(new TextEncoder().encode(c));
      if (isEnded) controller.close();
    },
  });
}

describe("LogStreamQuota", () => {
  it("refuses a viewer's 4th log stream on a host at once, naming the host", () => {
    const quota = new LogStreamQuota();
    for (let i = 0; i < 3; i += 1) quota.claim("user:ann", app);
    let error: unknown;
    try {
      quota.claim("user:ann", app);
    } catch (err) {
      error = err;
    }
    expect(error).toMatchObject({ code: "CONFLICT", host: "app", data: { reason: "log-stream-limit", scope: "host", limit: 3 } });
    expect((error as Error).message).toBe("You have 3 log streams open on app; close one first.");
    // Another viewer, and the same viewer on another host, are not affected.
    expect(() => quota.claim("user:bob", app)).not.toThrow();
    expect(() => quota.claim("user:ann", db)).not.toThrow();
  });

  it("caps a viewer's streams across hosts at 6", () => {
    const quota = new LogStreamQuota();
    for (const host of [app, app, app, db, db, db]) quota.claim("user:ann", host);
    expect(() => quota.claim("user:ann", cache)).toThrow("You have 6 log streams open across all hosts; close one first.");
  });

  it("gives the stream back on release, once however often it is called", () => {
    const quota = new LogStreamQuota();
    const releases = [1, 2, 3].map(() => quota.claim("user:ann", app));
    releases[0]!();
    releases[0]!();
    expect(quota.count("user:ann", app.hostId)).toBe(2);
    expect(() => quota.claim("user:ann", app)).not.toThrow();
    expect(() => quota.claim("user:ann", app)).toThrow(/3 log streams open on app/);
  });

  it("counts a user, a token and the CLI as different callers", () => {
    const user: Actor = { kind: "user", id: "u1", label: "ann@example.com", role: "VIEWER" };
    const token: Actor = { kind: "token", id: "t1", label: "token:ci", role: "VIEWER" };
    expect(viewerKeyOf(user)).toBe("user:u1");
    expect(viewerKeyOf(token)).toBe("token:t1");
    expect(viewerKeyOf({ kind: "cli", id: null, label: "cli", role: "ADMIN" })).toBe("cli:cli");
  });
});

describe("openCountedStream", () => {
  it("holds the claim while the body is read and gives it back when it ends", async () => {
    const quota = new LogStreamQuota();
    const out = await openCountedStream(quota, "user:ann", app, () => Promise.resolve(body(["a\n", "b\n"], true)));
    expect(quota.count("user:ann")).toBe(1);
    expect(await new Response(out).text()).toBe("a\nb\n");
    expect(quota.count("user:ann")).toBe(0);
  });

  it("gives the claim back when the viewer cancels, the request aborts, or opening fails", async () => {
    const quota = new LogStreamQuota();
    const cancelled = await openCountedStream(quota, "user:ann", app, () => Promise.resolve(body()));
    await cancelled.cancel();
    expect(quota.count("user:ann")).toBe(0);

    const abort = new AbortController();
    await openCountedStream(quota, "user:ann", app, () => Promise.resolve(body()), abort.signal);
    expect(quota.count("user:ann")).toBe(1);
    abort.abort();
    expect(quota.count("user:ann")).toBe(0);

    const failed = openCountedStream(quota, "user:ann", app, () => Promise.reject(new Error("container gone")));
    await expect(failed).rejects.toThrow("container gone");
    expect(quota.count("user:ann")).toBe(0);
  });

  it("refuses before opening anything when the viewer is at the cap", async () => {
    const quota = new LogStreamQuota(1, 6);
    quota.claim("user:ann", app);
    let opened = 0;
    const refused = openCountedStream(quota, "user:ann", app, () => {
      opened += 1;
      return Promise.resolve(body());
    });
    await expect(refused).rejects.toMatchObject({ code: "CONFLICT" });
    expect(opened).toBe(0);
  });

  it("counts every viewer of a shared stream while the host serves one remote stream", async () => {
    const quota = new LogStreamQuota();
    const remote = new PassThrough();
    let remoteOpened = 0;
    const open: OpenLogSource = () => {
      remoteOpened += 1;
      const source: DockerLogSource = { stream: remote, isTty: true, close: () => remote.destroy() };
      return Promise.resolve(source);
    };
    const query = ZLogStreamQuery.parse({ host: app.hostId, container: "pxlfox-app", follow: "1", tail: "10" });
    const views = await Promise.all(
      ["user:ann", "user:ann", "user:bob"].map((viewer) =>
        openCountedStream(quota, viewer, app, () => openSharedLogStream(app.hostId, query, open)),
      ),
    );
    expect(remoteOpened).toBe(1);
    expect(quota.count("user:ann", app.hostId)).toBe(2);
    expect(quota.count("user:bob", app.hostId)).toBe(1);
    for (const view of views) await view.cancel();
    await tick();
    expect(quota.count("user:ann") + quota.count("user:bob")).toBe(0);
    expect(remote.destroyed).toBe(true);
  });
});

describe("releaseWhenDone", () => {
  it("releases when the inner stream fails", async () => {
    let released = 0;
    const failing = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.error(new Error("log stream broke"));
      },
    });
    const out = releaseWhenDone(failing, () => (released += 1));
    await expect(new Response(out).text()).rejects.toThrow("log stream broke");
    expect(released).toBe(1);
  });
});
