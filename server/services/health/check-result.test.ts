import { describe, expect, it } from "vitest";
import { AppError } from "@/server/errors";
import { guardCheck, makeResult } from "./check-result";

const base = { subject: "host:x100", kind: "host" as const, hostId: "h1", hostName: "x100" };

describe("guardCheck", () => {
  it("turns a check that never answers into a timeout after the deadline", async () => {
    const result = await guardCheck(base, () => new Promise(() => undefined), 50);
    expect(result.status).toBe("down");
    expect(result.failure).toMatchObject({ category: "timeout", code: "HOST_TIMEOUT" });
    expect(result.reason).toMatch(/No answer from host x100 within 0 s/);
  });

  it("keeps the category of what the check threw (refused, auth, host key)", async () => {
    const refused = await guardCheck(base, () =>
      Promise.reject(new AppError("HOST_UNREACHABLE", "x100 10.213.77.100:22 refused the connection", { data: { reason: "refused" } })),
    );
    expect(refused.failure?.category).toBe("refused");
    const auth = await guardCheck(base, () => Promise.reject(new AppError("HOST_AUTH_FAILED", "x100 refused the key")));
    expect(auth.failure?.category).toBe("auth");
    const key = await guardCheck(base, () => Promise.reject(new AppError("HOST_KEY_MISMATCH", "x100 presented a different key")));
    expect(key.failure?.category).toBe("hostkey");
  });

  it("returns a check that finishes in time as it is", async () => {
    const result = await guardCheck(base, async () => makeResult(base, "ok"), 1000);
    expect(result.status).toBe("ok");
  });
});
