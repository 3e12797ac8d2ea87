import { afterEach, describe, expect, it } from "vitest";
import { startFakeRegistry, type FakeRegistry, type FakeRegistryOptions } from "@/server/adapters/registry/testing/fake-registry";
import { listTags } from "./list-tags";
import { checkTagExists, getTagDetails, resolveDigest } from "./resolve-digest";
import { TokenCache } from "./token-cache";

const USER = "ci-bot";
const PASSWORD = "hunter2-very-secret";
const credentials = { username: USER, password: PASSWORD };

const images: FakeRegistryOptions["images"] = {
  "v1.0.0": { created: "2026-01-01T10:00:00Z", layers: [100, 200] },
  "v1.1.0": { created: "2026-02-01T10:00:00Z", layers: [300] },
  "v1.10.0": { created: "2026-04-01T10:00:00Z", layers: [1000, 24], isMultiPlatform: true },
  "v1.9.0": { created: "2026-03-01T10:00:00Z", layers: [50] },
  "v1.2.0-broken": { layers: [7] },
  latest: { created: "2026-04-01T10:00:00Z", layers: [1000, 24] },
};

let registry: FakeRegistry | undefined;
afterEach(async () => {
  await registry?.close();
  registry = undefined;
});

async function start(overrides: Partial<FakeRegistryOptions> = {}) {
  registry = await startFakeRegistry({
    auth: "bearer",
    username: USER,
    password: PASSWORD,
    name: "owner/pixelfox",
    images,
    pageSize: 2,
    ...overrides,
  });
  return { registry, repository: `${registry.url.replace("http://", "")}/owner/pixelfox` };
}

function v2Requests(r: FakeRegistry) {
  return r.requests.filter((q) => q.server === "registry" && q.path.startsWith("/v2/"));
}

describe("listTags with a GHCR-style Bearer registry", () => {
  it("follows the challenge, reads every page and returns tags newest first with details", async () => {
    const { registry, repository } = await start();
    const { tags, totalTags } = await listTags({ repository, credentials }, { tokenCache: new TokenCache() });

    expect(totalTags).toBe(6);
    expect(tags.map((t) => t.tag)).toEqual(["v1.10.0", "latest", "v1.9.0", "v1.1.0", "v1.0.0", "v1.2.0-broken"]);
    const multi = tags.find((t) => t.tag === "v1.10.0");
    // The index digest (what a pull records) but the amd64 image's date and size.
    expect(multi).toEqual({
      tag: "v1.10.0",
      digest: registry.digestOf("v1.10.0"),
      createdAt: new Date("2026-04-01T10:00:00Z"),
      sizeBytes: 1024,
    });
    expect(tags.find((t) => t.tag === "v1.0.0")).toMatchObject({ sizeBytes: 300, createdAt: new Date("2026-01-01T10:00:00Z") });
    expect(tags.find((t) => t.tag === "v1.2.0-broken")?.createdAt).toBeUndefined();
    for (const t of tags) expect(t.digest).toMatch(/^sha256:[0-9a-f]{64}$/);

    const pages = v2Requests(registry).filter((q) => q.path.includes("/tags/list") && q.authorization?.startsWith("Bearer "));
    expect(pages.map((q) => q.path)).toEqual([
      "/v2/owner/pixelfox/tags/list?n=100",
      "/v2/owner/pixelfox/tags/list?n=2&last=v1.0.0",
      "/v2/owner/pixelfox/tags/list?n=2&last=v1.10.0",
    ]);
    // One token for the whole call: concurrent detail requests share it.
    expect(registry.tokensIssued).toBe(1);
    const tokenRequest = registry.requests.find((q) => q.path.startsWith("/token"));
    expect(tokenRequest?.path).toBe("/token?service=fake-registry&scope=repository%3Aowner%2Fpixelfox%3Apull");
    expect(tokenRequest?.authorization).toBe(`Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString("base64")}`);
  });

  it("reuses a cached token on the next call without a 401 round trip", async () => {
    const { registry, repository } = await start();
    const tokenCache = new TokenCache();
    await resolveDigest({ repository, credentials, tag: "v1.0.0" }, { tokenCache });
    const before = registry.requests.length;
    await resolveDigest({ repository, credentials, tag: "v1.1.0" }, { tokenCache });
    const after = registry.requests.slice(before);
    expect(after).toHaveLength(1);
    expect(after[0]?.authorization).toMatch(/^Bearer tok-/);
    expect(registry.tokensIssued).toBe(1);
  });

  it("asks for an anonymous token when there are no credentials (public repository)", async () => {
    const { registry, repository } = await start({ allowAnonymous: true });
    const { tags } = await listTags({ repository, limit: 2 }, { tokenCache: new TokenCache() });
    expect(tags.map((t) => t.tag)).toEqual(["v1.10.0", "v1.9.0"]);
    expect(registry.requests.find((q) => q.path.startsWith("/token"))?.authorization).toBeUndefined();
  });

  it("says the registry refused the credentials, naming the user but never the password", async () => {
    const { repository } = await start();
    const err = await listTags(
      { repository, credentials: { username: USER, password: "wrong-password" } },
      { tokenCache: new TokenCache() },
    ).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "REMOTE_FAILED" });
    const message = (err as Error).message;
    expect(message).toContain(`refused the credentials for user ${USER} (401): check the stack's registry username/password`);
    expect(message).not.toContain("wrong-password");
    expect(JSON.stringify(err)).not.toContain("wrong-password");
  });

  it("asks for credentials when a private repository is read anonymously", async () => {
    const { repository } = await start();
    await expect(listTags({ repository }, { tokenCache: new TokenCache() })).rejects.toMatchObject({
      code: "REMOTE_FAILED",
      message: expect.stringMatching(/requires credentials to read owner\/pixelfox \(401\)/),
    });
  });

  it("sends no credentials to a blob redirect on another origin", async () => {
    const { registry, repository } = await start({ redirectBlobs: true });
    const tag = await getTagDetails({ repository, credentials, tag: "v1.1.0" }, { tokenCache: new TokenCache() });
    expect(tag.createdAt).toEqual(new Date("2026-02-01T10:00:00Z"));
    const cdn = registry.requests.filter((q) => q.server === "cdn");
    expect(cdn).toHaveLength(1);
    expect(cdn[0]?.authorization).toBeUndefined();
  });
});

describe("Basic-auth registries (distribution's htpasswd)", () => {
  it("sends Basic credentials up front and lists the tags", async () => {
    const { registry, repository } = await start({ auth: "basic", pageSize: 100 });
    const { tags } = await listTags({ repository, credentials, limit: 3 }, { tokenCache: new TokenCache() });
    expect(tags.map((t) => t.tag)).toEqual(["v1.10.0", "v1.9.0", "v1.2.0-broken"]);
    expect(v2Requests(registry).every((q) => q.authorization?.startsWith("Basic "))).toBe(true);
    expect(registry.tokensIssued).toBe(0);
  });
});

describe("resolveDigest / checkTagExists", () => {
  it("resolves a tag with a HEAD request", async () => {
    const { registry, repository } = await start({ auth: "basic" });
    await expect(resolveDigest({ repository, credentials, tag: "v1.9.0" })).resolves.toEqual({
      tag: "v1.9.0",
      digest: registry.digestOf("v1.9.0"),
    });
    expect(v2Requests(registry).map((q) => q.method)).toEqual(["HEAD"]);
  });

  it("throws NOT_FOUND naming the tag, with the registry's own words", async () => {
    const { repository } = await start({ auth: "basic" });
    const err = await checkTagExists({ repository, credentials, tag: "v9.9.9" }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "NOT_FOUND" });
    expect((err as Error).message).toMatch(/v9\.9\.9.*manifest unknown/);
  });

  it("refuses an invalid tag before sending anything", async () => {
    const { registry, repository } = await start({ auth: "basic" });
    await expect(checkTagExists({ repository, credentials, tag: "../../etc" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(registry.requests).toHaveLength(0);
  });
});

describe("network failures", () => {
  it("maps a timeout to HOST_TIMEOUT", async () => {
    const { repository } = await start({ auth: "basic", delayMs: 1000 });
    await expect(resolveDigest({ repository, credentials, tag: "v1.0.0", timeoutMs: 100 })).rejects.toMatchObject({
      code: "HOST_TIMEOUT",
      message: expect.stringMatching(/did not answer within 0\.1 s/),
    });
  });

  it("maps a refused connection to HOST_UNREACHABLE naming the registry URL", async () => {
    const { registry: r, repository } = await start({ auth: "basic" });
    await r.close();
    registry = undefined;
    await expect(listTags({ repository, credentials })).rejects.toMatchObject({
      code: "HOST_UNREACHABLE",
      message: expect.stringContaining(`Could not reach the registry at ${r.url} (ECONNREFUSED)`),
    });
  });

  it("passes a caller's cancellation through unchanged", async () => {
    const { repository } = await start({ auth: "basic", delayMs: 1000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("user cancelled")), 50);
    await expect(listTags({ repository, credentials, signal: controller.signal })).rejects.toThrow("user cancelled");
  });
});
