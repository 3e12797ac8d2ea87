import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readCertificate } from "./tls-certificate";

const dir = mkdtempSync(path.join(tmpdir(), "pxf-tls-"));
let server: https.Server;
let port = 0;

beforeAll(async () => {
  // A real TLS endpoint on loopback with a self-signed certificate valid for 10 days.
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-days",
      "10",
      "-subj",
      "/CN=pixelfox.test/O=Test CA",
      "-keyout",
      path.join(dir, "key.pem"),
      "-out",
      path.join(dir, "cert.pem"),
    ],
    { stdio: "ignore" },
  );
  server = https.createServer(
    { key: readFileSync(path.join(dir, "key.pem")), cert: readFileSync(path.join(dir, "cert.pem")) },
    (_req, res) => res.end("ok"),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => {
  server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("readCertificate", () => {
  it("reads issuer and days to expiry, and says when the chain is not trusted", async () => {
    const cert = await readCertificate("127.0.0.1", port);
    expect(cert.daysLeft).toBe(9);
    expect(cert.issuer).toBe("Test CA");
    expect(cert.subject).toBe("pixelfox.test");
    expect(cert.authorized).toBe(false);
    expect(cert.authorizationError).toMatch(/SELF_SIGNED|self.signed/i);
  });

  it("fails with the endpoint named when nothing listens", async () => {
    const closed = https.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const freePort = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    await expect(readCertificate("127.0.0.1", freePort, 2000)).rejects.toThrow(/ECONNREFUSED|127\.0\.0\.1/);
  });
});
