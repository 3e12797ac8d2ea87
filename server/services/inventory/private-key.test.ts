import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { MAX_KEY_FILE_BYTES, resolvePrivateKey } from "./private-key";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pxf-key-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("a private key given by its path on the panel's machine", () => {
  it("reads a real key file", async () => {
    const file = path.join(dir, "id_ed25519");
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", file]);
    expect(await resolvePrivateKey({ privateKeyPath: file })).toContain("BEGIN OPENSSH PRIVATE KEY");
  });

  it("refuses a device, a FIFO (without hanging), a directory and an oversized file, naming the field", async () => {
    const fifo = path.join(dir, "fifo");
    execFileSync("mkfifo", [fifo]);
    const big = path.join(dir, "big");
    fs.writeFileSync(big, "x".repeat(MAX_KEY_FILE_BYTES + 1));
    for (const [p, why] of [
      ["/dev/zero", "not a regular file"],
      [fifo, "not a regular file"],
      [dir, "not a regular file"],
      [big, "more than a private key"],
      [path.join(dir, "missing"), "cannot be read (ENOENT)"],
    ] as const) {
      await expect(resolvePrivateKey({ privateKeyPath: p })).rejects.toMatchObject({
        code: "BAD_REQUEST",
        message: expect.stringContaining(why),
        data: { field: "privateKeyPath" },
      });
    }
  }, 5_000);
});
