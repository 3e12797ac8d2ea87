import "@/server/jobs/testing/test-db";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { NextRequest } from "next/server";
import { db } from "@/server/db";
import { removeTestDataDir } from "@/server/jobs/testing/test-db";

// The session half of actor resolution and Auth.js's own handlers are stand-ins: these tests check
// that the guards answer before either is reached.
const { auth, authPost } = vi.hoisted(() => ({
  auth: vi.fn(async () => null),
  authPost: vi.fn(async (_req: Request) => new Response("auth.js", { status: 200 })),
}));
vi.mock("@/auth", () => ({ auth, handlers: { GET: vi.fn(), POST: authPost }, signIn: vi.fn(), signOut: vi.fn() }));

const { POST: trpcPost, GET: trpcGet } = await import("@/app/api/trpc/[trpc]/route");
const { POST: deployPost } = await import("@/app/api/v1/stacks/[stack]/deployments/route");
const { POST: authRoutePost } = await import("@/app/api/auth/[...nextauth]/route");

const PANEL = "http://127.0.0.1:3100";
const ADMIN_COOKIE = "authjs.session-token=eyJhbGciOi";
const OTHER_PORT = { origin: "http://127.0.0.1:4000", "sec-fetch-site": "same-site", cookie: ADMIN_COOKIE };

beforeEach(() => {
  auth.mockClear();
  authPost.mockClear();
});

afterAll(async () => {
  await db.$disconnect();
  removeTestDataDir();
});

/** A body of `totalBytes` that counts how many 64 KB chunks were pulled from it. */
function countingBody(totalBytes: number) {
  const counter = { pulled: 0 };
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (counter.pulled * 65536 >= totalBytes) return controller.close();
        counter.pulled += 1;
        controller.enqueue(new Uint8Array(65536).fill(32));
      },
    },
    { highWaterMark: 0 },
  );
  return { body, counter };
}

function post(path: string, headers: Record<string, string>, body: BodyInit | ReadableStream<Uint8Array>) {
  return new NextRequest(`${PANEL}${path}`, { method: "POST", headers: { host: "127.0.0.1:3100", ...headers }, body, duplex: "half" });
}

const params = (p: Record<string, string>) => ({ params: Promise.resolve(p) });

describe("the tRPC route", () => {
  it("answers an unauthenticated 10 MB POST to a public procedure with 413, having pulled only past the 1 MB limit", async () => {
    const { body, counter } = countingBody(10 * 1024 * 1024);
    const res = await trpcPost(post("/api/trpc/setup.createFirstAdmin", { "content-type": "application/json" }, body));
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe("PAYLOAD_TOO_LARGE");
    expect(res.headers.get("connection")).toBe("close");
    expect(counter.pulled).toBe(17);
  });

  it("refuses another port's mutation with the admin's cookie (403), before any session is read", async () => {
    const res = await trpcPost(
      post("/api/trpc/deploy.start", { ...OTHER_PORT, "content-type": "application/json" }, '{"json":{"stack":"pixelfox","tag":"v1"}}'),
    );
    expect(res.status).toBe(403);
    const { error } = await res.json();
    expect(error.code).toBe("FORBIDDEN");
    expect(error.message).toMatch(/^Cross-site request refused: Sec-Fetch-Site is "same-site"/);
    expect(auth).not.toHaveBeenCalled();
  });

  it("refuses a form-encoded mutation with 415 (what a cross-site form sends)", async () => {
    const res = await trpcPost(post("/api/trpc/setup.createFirstAdmin", { "content-type": "multipart/form-data; boundary=x" }, "--x--"));
    expect(res.status).toBe(415);
  });

  it("still serves the panel's own calls", async () => {
    const res = await trpcGet(new NextRequest(`${PANEL}/api/trpc/setup.status`, { headers: { "sec-fetch-site": "same-origin" } }));
    expect(res.status).toBe(200);
    expect((await res.json()).result.data.json).toEqual({ needsSetup: true });
  });
});

describe("the REST API", () => {
  it("refuses a deploy from another port's page with the admin's cookie (403), before the caller is resolved", async () => {
    const req = post("/api/v1/stacks/pixelfox/deployments", { ...OTHER_PORT, "content-type": "text/plain" }, '{"tag":"v1.0.0"}');
    const res = await deployPost(req, params({ stack: "pixelfox" }));
    expect(res.status).toBe(403);
    expect((await res.json()).error.message).toContain("Cross-site request refused");
    expect(auth).not.toHaveBeenCalled();
  });

  it("refuses a declared body over 64 KB with 413 before authentication", async () => {
    const res = await deployPost(
      post("/api/v1/stacks/pixelfox/deployments", { "content-type": "application/json", "content-length": String(5 << 20) }, "{}"),
      params({ stack: "pixelfox" }),
    );
    expect(res.status).toBe(413);
    expect(auth).not.toHaveBeenCalled();
  });
});

describe("the Auth.js route", () => {
  it("limits a sign-in POST to 16 KB before Auth.js sees it", async () => {
    const { body, counter } = countingBody(1024 * 1024);
    const res = await authRoutePost(post("/api/auth/callback/credentials", { "content-type": "application/x-www-form-urlencoded" }, body));
    expect(res.status).toBe(413);
    expect(counter.pulled).toBe(1);
    expect(authPost).not.toHaveBeenCalled();
  });

  it("hands a small sign-in POST on to Auth.js with its body", async () => {
    const res = await authRoutePost(
      post("/api/auth/callback/credentials", { "content-type": "application/x-www-form-urlencoded" }, "ticket=abc"),
    );
    expect(res.status).toBe(200);
    const handed = authPost.mock.calls[0]![0] as NextRequest;
    expect(await handed.text()).toBe("ticket=abc");
    expect(handed.nextUrl.pathname).toBe("/api/auth/callback/credentials");
  });
});
