import { beforeAll, describe, expect, it } from "vitest";
import { loadFleet, type Fleet } from "@/server/adapters/ssh/testing/test-fleet";
import { listTags } from "./list-tags";
import { checkTagExists, resolveDigest } from "./resolve-digest";

let fleet: Fleet;
beforeAll(async () => {
  fleet = await loadFleet();
});

function registryOptions() {
  const { url, repository, username, password } = fleet.status.registry;
  return { registryUrl: url, repository, credentials: { username, password } };
}

describe("the fleet's registry (Basic auth, distribution v2)", () => {
  it("lists v1.0.0, v1.1.0 and v1.2.0-broken, newest first, with digests and creation dates", async () => {
    const { tags, totalTags } = await listTags(registryOptions());
    expect(totalTags).toBeGreaterThanOrEqual(3);
    const names = tags.map((t) => t.tag);
    expect(names).toEqual(expect.arrayContaining(["v1.0.0", "v1.1.0", "v1.2.0-broken"]));
    for (const tag of tags) {
      expect(tag.digest, tag.tag).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(tag.createdAt, tag.tag).toBeInstanceOf(Date);
      expect(tag.sizeBytes, tag.tag).toBeGreaterThan(0);
    }
    const times = tags.map((t) => t.createdAt?.getTime() ?? 0);
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it("resolves a tag to the digest listTags reports", async () => {
    const { tags } = await listTags(registryOptions());
    const listed = tags.find((t) => t.tag === "v1.1.0");
    await expect(resolveDigest({ ...registryOptions(), tag: "v1.1.0" })).resolves.toEqual({ tag: "v1.1.0", digest: listed?.digest });
  });

  it("derives http://127.0.0.1:5000 from the repository alone", async () => {
    const { repository, credentials } = registryOptions();
    await expect(checkTagExists({ repository, credentials, tag: "v1.0.0" })).resolves.toBeUndefined();
  });

  it("says the registry refused the credentials when the password is wrong, without echoing it", async () => {
    const options = registryOptions();
    const wrong = `${options.credentials.password}-wrong`;
    const err = await listTags({ ...options, credentials: { ...options.credentials, password: wrong } }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "REMOTE_FAILED" });
    expect((err as Error).message).toContain(
      `registry 127.0.0.1:5000 refused the credentials for user ${options.credentials.username} (401): check the stack's registry username/password`,
    );
    expect((err as Error).message).not.toContain(wrong);
  });

  it("answers NOT_FOUND naming an unknown tag", async () => {
    const err = await checkTagExists({ ...registryOptions(), tag: "v9.9.9-nope" }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "NOT_FOUND" });
    expect((err as Error).message).toMatch(/v9\.9\.9-nope.*manifest unknown/);
  });
});
