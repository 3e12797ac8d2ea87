import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError } from "@/server/errors";
import { errorResponse } from "./error-response";

describe("errorResponse (the one HTTP mapper)", () => {
  it("maps an AppError made by another copy of the module (the SSH pool's bundle) by its code, not to 500", async () => {
    // What the pool in the instrumentation bundle throws: same name and code, another class.
    class ForeignAppError extends Error {
      code = "HOST_KEY_MISMATCH";
      host = "app";
      data = { expected: "SHA256:a", presented: "SHA256:b" };
      constructor(message: string) {
        super(message);
        this.name = "AppError";
      }
    }
    const res = errorResponse(
      new ForeignAppError(
        "Host key of app changed: nothing is sent to it (reading its logs) until an admin verifies and re-pins the new key",
      ),
    );
    expect(res.status).toBe(502);
    const body = (await res.json()) as { error: { code: string; message: string; host: string } };
    expect(body.error).toMatchObject({ code: "HOST_KEY_MISMATCH", host: "app" });
    expect(body.error.message).toMatch(/^Host key of app changed/);
  });

  it("names the field and the rule for bad input, nested fields as parent.child", async () => {
    const err = z
      .object({ tag: z.string().min(3, "At least 3"), settings: z.object({ drainMs: z.number({ error: "Must be a number" }) }) })
      .safeParse({ tag: "x", settings: { drainMs: "a" } }).error;
    const res = errorResponse(err);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { message: string; fieldErrors: Record<string, string[]> } };
    expect(body.error.fieldErrors).toEqual({ tag: ["At least 3"], "settings.drainMs": ["Must be a number"] });
    expect(body.error.message).toBe("tag: At least 3; settings.drainMs: Must be a number");
  });

  it("says an AppError's field too, and never leaks an unknown error's detail", async () => {
    const named = await errorResponse(
      new AppError("NOT_FOUND", "Deployment not found in this stack", { data: { field: "deploymentId" } }),
    ).json();
    expect(named).toMatchObject({ error: { code: "NOT_FOUND", fieldErrors: { deploymentId: ["Deployment not found in this stack"] } } });
    const res = errorResponse(new TypeError("secret internals at /srv/x.ts:12"));
    expect(res.status).toBe(500);
    expect(JSON.stringify(await res.json())).not.toContain("internals");
  });
});
