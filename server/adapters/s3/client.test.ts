import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OutboundDeps } from "@/server/adapters/http/outbound-guard";
import { readPanelAddress } from "@/server/adapters/http/panel-address";
import { createS3Target } from "./client";
import { putSmallObject } from "./objects";

/** A loopback stand-in for S3 that accepts every PUT and counts requests. */
async function startBucket() {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url?.split("?")[0]}`);
    req.resume();
    req.on("end", () => res.writeHead(200, { etag: '"0"' }).end());
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return { seen, port, close: () => new Promise<void>((r) => server.close(() => r())) };
}

let panel: Awaited<ReturnType<typeof startBucket>>;
let storage: Awaited<ReturnType<typeof startBucket>>;
let deps: OutboundDeps;
const settings = (endpoint: string) => ({
  endpoint,
  region: "us-east-1",
  bucket: "backups",
  forcePathStyle: true,
  accessKeyId: "AKIDEXAMPLE",
  secretAccessKey: "not-a-real-secret",
});

beforeAll(async () => {
  panel = await startBucket();
  storage = await startBucket();
  const resolve = async (host: string) => {
    if (host === "s3.test") return [{ address: "127.0.0.1", family: 4 }];
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" });
  };
  deps = { resolve, panel: readPanelAddress({ PORT: String(panel.port) }) };
});
afterAll(async () => {
  await panel.close();
  await storage.close();
});

describe("the S3 client goes through the outbound guard", () => {
  it("refuses an endpoint that is the panel as written, naming the endpoint field", () => {
    for (const endpoint of [`http://[::ffff:127.0.0.1]:${panel.port}`, `http://localhost.:${panel.port}`, "http://169.254.169.254"]) {
      expect(() => createS3Target(settings(endpoint), deps), endpoint).toThrow(
        expect.objectContaining({ data: expect.objectContaining({ field: "endpoint" }) }),
      );
    }
  });

  it("refuses, at connect time, a name that resolves to the panel: nothing reaches it", async () => {
    const t = createS3Target(settings(`http://s3.test:${panel.port}`), deps);
    try {
      await expect(putSmallObject(t, "k", Buffer.from("x"))).rejects.toMatchObject({
        code: "BAD_REQUEST",
        data: { field: "endpoint", rule: "panel-itself" },
      });
    } finally {
      t.client.destroy();
    }
    expect(panel.seen).toEqual([]);
  });

  it("reaches another loopback storage (the fleet's S3 on 127.0.0.1:4569 is such a one), by name or address", async () => {
    for (const endpoint of [`http://s3.test:${storage.port}`, `http://127.0.0.1:${storage.port}`]) {
      const t = createS3Target(settings(endpoint), deps);
      try {
        await putSmallObject(t, "k", Buffer.from("x"));
      } finally {
        t.client.destroy();
      }
    }
    expect(storage.seen).toEqual(["PUT /backups/k", "PUT /backups/k"]);
  });
});
