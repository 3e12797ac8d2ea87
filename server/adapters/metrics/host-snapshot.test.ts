import { describe, expect, it } from "vitest";
import { splitSnapshot } from "./host-snapshot";

describe("splitSnapshot", () => {
  it("cuts the one command's output back into /proc, df -k and df -i", () => {
    const out =
      "cpu  1 2 3\n0.1 0.2 0.3 1/100 42\nMemTotal: 1 kB\n--pxf-snapshot-part--\nFilesystem 1024-blocks\n/dev/sda1 100\n--pxf-snapshot-part--\nFilesystem Inodes\n/dev/sda1 50\n";
    expect(splitSnapshot(out)).toEqual({
      proc: "cpu  1 2 3\n0.1 0.2 0.3 1/100 42\nMemTotal: 1 kB\n",
      dfBlocks: "Filesystem 1024-blocks\n/dev/sda1 100\n",
      dfInodes: "Filesystem Inodes\n/dev/sda1 50\n",
      cgroups: "",
    });
  });

  it("gives empty parts when the output stops early (e.g. the command was cut short)", () => {
    expect(splitSnapshot("cpu  1 2 3\n")).toEqual({ proc: "cpu  1 2 3\n", dfBlocks: "", dfInodes: "", cgroups: "" });
  });
});
