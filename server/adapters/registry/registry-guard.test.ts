import { afterEach, describe, expect, it } from "vitest";
import { readPanelAddress } from "@/server/adapters/http/panel-address";
import { startFakeRegistry, type FakeRegistry } from "@/server/adapters/registry/testing/fake-registry";
import { listTags } from "./list-tags";
import { getTagDetails } from "./resolve-digest";
import { TokenCache } from "./token-cache";

const credentials = { username: "ci-bot", password: "hunter2-very-secret" };
let registry: FakeRegistry | undefined;
afterEach(async () => {
  await registry?.close();
  registry = undefined;
});

async function start() {
  registry = await startFakeRegistry({
    auth: "bearer",
    ...credentials,
    name: "owner/pixelfox",
    images: { "v1.0.0": { created: "2026-01-01T10:00:00Z", layers: [1] } },
    redirectBlobs: true,
  });
  return registry;
}
const portOf = (url: string) => Number(new URL(url).port);

describe("registry requests go through the outbound guard", () => {
  it("a registry URL on the panel's port, in any spelling, is refused naming registryUrl; nothing is sent", async () => {
    const r = await start();
    const outbound = { panel: readPanelAddress({ PORT: String(portOf(r.url)) }) };
    const registryUrl = `http://[::ffff:127.0.0.1]:${portOf(r.url)}`;
    await expect(
      listTags({ registryUrl, repository: "owner/pixelfox", credentials }, { tokenCache: new TokenCache(), outbound }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", data: { field: "registryUrl", rule: "panel-itself" } });
    expect(r.requests).toEqual([]);
  });

  it("every redirect hop is checked: a blob redirect to the panel's port is refused and never sent", async () => {
    const r = await start();
    // The "CDN" the registry redirects blobs to stands on the panel's port.
    const outbound = { panel: readPanelAddress({ PORT: String(portOf(r.cdnUrl)) }) };
    const repository = `${r.url.replace("http://", "")}/owner/pixelfox`;
    await expect(
      getTagDetails({ repository, credentials, tag: "v1.0.0" }, { tokenCache: new TokenCache(), outbound }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", data: { field: "imageRepository", rule: "panel-itself" } });
    expect(r.requests.filter((q) => q.server === "cdn")).toEqual([]);
    expect(r.requests.some((q) => q.server === "registry")).toBe(true);
  });
});
