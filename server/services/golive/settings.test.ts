import { removeTestDataDir } from "@/server/jobs/testing/test-db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { ZGoLiveSettings } from "@/server/domain/golive";
import type { Actor } from "@/server/services/auth/actor";
import { getGoLiveSettings, saveGoLiveSettings } from "./settings";

const admin: Actor = { kind: "user", id: null, label: "admin@example.com", role: "ADMIN" };

beforeAll(async () => {
  process.env.PANEL_SECRET = "golive-settings-test-secret-0123456789abcd";
  await db.stack.create({ data: { name: "pixelfox", publicDomain: "https://pixelfox.cc", imageRepository: "ghcr.io/pixelfox/pixelfox" } });
});
afterAll(async () => {
  await db.$disconnect();
  removeTestDataDir();
});

describe("the stack's go-live settings", () => {
  it("are the plan's defaults until an admin saves others; saved ones are read back and audited", async () => {
    expect(await getGoLiveSettings("pixelfox")).toEqual(ZGoLiveSettings.parse({}));
    const settings = ZGoLiveSettings.parse({
      cacheFlavor: "redis",
      proxy: "nginx",
      images: { cache: "redis:7" },
      acmeEmail: "ops@pixelfox.cc",
    });
    expect(await saveGoLiveSettings("pixelfox", settings, admin)).toEqual(settings);
    expect(await getGoLiveSettings("pixelfox")).toEqual(settings);
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "golive.settings" } });
    expect(audit).toMatchObject({ actorLabel: "admin@example.com", target: "pixelfox", ok: true });
    expect(JSON.parse(audit.details)).toMatchObject({ cacheFlavor: "redis", proxy: "nginx" });
  });

  it("of a stack that does not exist: NOT_FOUND naming it", async () => {
    await expect(getGoLiveSettings("nope")).rejects.toMatchObject({ code: "NOT_FOUND", message: "Stack nope not found" });
  });
});
