import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createRunnerFiles } from "./proxy-files";
import { createLocalRunner } from "./testing/local-runner";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pxproxy-files-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const files = createRunnerFiles(createLocalRunner());

describe("proxy files through a runner (the shell scripts, run locally)", () => {
  it("reads a missing file as null, writes creating the directory, and reads back the exact bytes", async () => {
    const file = path.join(dir, "sub", "Caddyfile");
    expect(await files.read(file)).toBeNull();
    const text = "# tabs\tand 'quotes' \"$HOME\" `x` ünïcode\n\n";
    await files.write(file, text);
    expect(await files.read(file)).toBe(text);
    expect(fs.readFileSync(file, "utf8")).toBe(text);
  });

  it("writes in place: the inode stays (a single-file bind mount keeps showing the file) and a symlink stays a symlink", async () => {
    const file = path.join(dir, "site");
    const link = path.join(dir, "enabled");
    fs.writeFileSync(file, "old\n");
    fs.symlinkSync(file, link);
    const inode = fs.statSync(file).ino;
    await files.write(link, "new\n");
    expect(fs.statSync(file).ino).toBe(inode);
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(file, "utf8")).toBe("new\n");
  });

  it("maps paths as the proxy sees them to where they are, and removes files", async () => {
    const mapped = createRunnerFiles(createLocalRunner(), { mapPath: (p) => path.join(dir, "host", p) });
    await mapped.write("/etc/caddy/Caddyfile", "x\n");
    expect(mapped.locate("/etc/caddy/Caddyfile")).toBe(path.join(dir, "host", "etc/caddy/Caddyfile"));
    expect(fs.readFileSync(path.join(dir, "host/etc/caddy/Caddyfile"), "utf8")).toBe("x\n");
    await mapped.remove("/etc/caddy/Caddyfile");
    expect(await mapped.read("/etc/caddy/Caddyfile")).toBeNull();
  });

  it("refuses relative paths and paths with spaces, quotes or ..", async () => {
    for (const bad of ["etc/caddy", "/etc/ca ddy", '/etc/"x', "/etc/../root", "/etc/x;rm"]) {
      await expect(files.read(bad)).rejects.toMatchObject({ code: "BAD_REQUEST" });
    }
  });
});
