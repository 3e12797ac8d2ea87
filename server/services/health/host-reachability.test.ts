import { removeTestDataDir } from "@/server/jobs/testing/test-db";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { recordHostReachability } from "./host-reachability";
import type { CheckResult } from "./types";

afterAll(async () => {
  await db.$disconnect();
  removeTestDataDir();
});

const hostCheck = (hostId: string, over: Partial<CheckResult>): CheckResult => ({
  subject: "host:cache",
  kind: "host",
  hostId,
  hostName: "cache",
  status: "ok",
  reason: null,
  latencyMs: 5,
  metrics: {},
  details: {},
  checkedAt: new Date().toISOString(),
  ...over,
});

describe("recordHostReachability", () => {
  it("puts a host whose presented key the pin refused in the CHANGED state, keeping the fingerprint it presented", async () => {
    const host = await db.host.create({
      data: {
        name: "cache",
        address: "10.0.0.3",
        sshUser: "root",
        privateKeyEnc: "x",
        hostKeyState: "PINNED",
        hostKeyFingerprint: "SHA256:old",
      },
    });
    const failure = {
      code: "HOST_KEY_MISMATCH",
      category: "hostkey",
      message: "The SSH host key of cache changed",
      presented: "SHA256:new",
      expected: "SHA256:old",
    };
    await recordHostReachability([hostCheck(host.id, { status: "down", failure })]);
    expect(await db.host.findUniqueOrThrow({ where: { id: host.id } })).toMatchObject({
      hostKeyState: "CHANGED",
      presentedFingerprint: "SHA256:new",
      hostKeyFingerprint: "SHA256:old",
      lastCheckOk: false,
    });
    // The next sweep refuses the host up front (no fingerprint in hand): what was presented stays recorded.
    await recordHostReachability([hostCheck(host.id, { status: "down", failure: { ...failure, presented: undefined } })]);
    expect(await db.host.findUniqueOrThrow({ where: { id: host.id } })).toMatchObject({
      hostKeyState: "CHANGED",
      presentedFingerprint: "SHA256:new",
    });
  });

  it("leaves a host alone that an admin re-pinned while the sweep ran against the old pin", async () => {
    const host = await db.host.create({
      data: {
        name: "app",
        address: "10.0.0.1",
        sshUser: "root",
        privateKeyEnc: "x",
        hostKeyState: "PINNED",
        hostKeyFingerprint: "SHA256:repinned",
      },
    });
    const failure = {
      code: "HOST_KEY_MISMATCH",
      category: "hostkey",
      message: "changed",
      presented: "SHA256:repinned",
      expected: "SHA256:old",
    };
    await recordHostReachability([hostCheck(host.id, { status: "down", failure })]);
    expect(await db.host.findUniqueOrThrow({ where: { id: host.id } })).toMatchObject({
      hostKeyState: "PINNED",
      presentedFingerprint: null,
    });
  });
});
