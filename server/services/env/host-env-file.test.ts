import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { hostEnvFileText, writeFileArgv } from "./host-env-file";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pxf-envfile-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const write = (file: string, text: string) => {
  const [cmd, ...args] = writeFileArgv(file);
  execFileSync(cmd as string, args, { input: text });
};

describe("the host's .env", () => {
  it("says where it comes from and quotes values compose would split", () => {
    const text = hostEnvFileText(
      { version: 4, entries: ["DB_HOST=10.0.0.2", "GREETING=hello world", "EMPTY="] },
      new Date("2026-11-28T10:00:00Z"),
    );
    expect(text).toBe(
      "# Written by PixelFox Ops: app environment version 4, 2026-11-28T10:00:00.000Z.\n" +
        "# Edit it in the panel (Stack → App environment): a deploy leaves a file edited here as it is and shows the difference.\n" +
        "DB_HOST=10.0.0.2\nGREETING='hello world'\nEMPTY=\n",
    );
  });

  it("is written whole with mode 0600 (directory created), keeping the previous one as .env.prev", () => {
    const file = path.join(dir, "srv", "pixelfox", ".env");
    write(file, "A=1\n");
    expect(fs.readFileSync(file, "utf8")).toBe("A=1\n");
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    write(file, "A=2\n");
    expect(fs.readFileSync(file, "utf8")).toBe("A=2\n");
    expect(fs.readFileSync(`${file}.prev`, "utf8")).toBe("A=1\n");
    expect(fs.existsSync(`${file}.tmp`)).toBe(false);
  });

  it("takes the path as an argument: a name with shell characters is just a name", () => {
    const file = path.join(dir, "odd $(touch pwned) name", ".env");
    write(file, "B=1\n");
    expect(fs.readFileSync(file, "utf8")).toBe("B=1\n");
    expect(fs.existsSync(path.join(process.cwd(), "pwned"))).toBe(false);
  });
});
