import { describe, expect, it } from "vitest";
import { checkClock, checkCompose, checkDirs, checkDisk, checkPorts, ROLE_NEEDS, sections } from "./preflight-checks";

const NOW = 1_767_323_045; // 2026-01-02T03:04:05Z

/** What PREFLIGHT_SCRIPT prints on a Debian 12 VPS with Docker 20.10 and the compose plugin. */
const STDOUT = `@@date
${NOW + 2}
@@df /srv
/dev/vda1         41152736  9234512  29804388      24% /
@@dfi
/dev/vda1          2621440   187342   2434098       8% /
@@dirs
/srv/mysql/data missing
@@ss
LISTEN 0      128          0.0.0.0:22        0.0.0.0:*    users:(("sshd",pid=612,fd=3))
LISTEN 0      4096       127.0.0.1:4000      0.0.0.0:*    users:(("docker-proxy",pid=2201,fd=4))
LISTEN 0      128             [::]:22           [::]:*    users:(("sshd",pid=612,fd=4))
@@compose
Docker Compose version v2.29.7
`;

describe("sections", () => {
  it("splits the script's output by its @@ frames, keeping the argument of a frame line", () => {
    const s = sections(STDOUT);
    expect([...s.keys()]).toEqual(["date", "df", "dfi", "dirs", "ss", "compose"]);
    expect(s.get("df")).toBe("/srv\n/dev/vda1         41152736  9234512  29804388      24% /\n");
    expect(s.get("compose")).toBe("Docker Compose version v2.29.7\n\n");
  });
});

describe("checkClock", () => {
  it("passes within 5 s, fails beyond with the skew and how to fix it, unknown when date printed no number", () => {
    expect(checkClock(sections(STDOUT).get("date"), NOW)).toEqual({
      id: "clock",
      label: "Clock skew against the panel",
      status: "pass",
      evidence: "host 2026-01-02T03:04:07.000Z, +2 s",
    });
    expect(checkClock(`${NOW - 42}\n`, NOW)).toMatchObject({
      status: "fail",
      evidence: expect.stringContaining("-42 s"),
      fix: expect.stringMatching(/timedatectl set-ntp true/),
    });
    for (const bad of [undefined, "", "sh: 1: date: not found\n", "0\n", "-5\n"])
      expect(checkClock(bad, NOW), JSON.stringify(bad)).toMatchObject({ status: "unknown" });
  });
});

describe("checkDisk", () => {
  const s = sections(STDOUT);
  it("passes with enough free space and inodes, saying how much", () => {
    expect(checkDisk(s.get("df"), s.get("dfi"), ROLE_NEEDS.db.minFreeMb)).toEqual([
      { id: "disk", label: "Free disk on /srv", status: "pass", evidence: "28.4 GiB free (the role needs at least 2.0 GiB)" },
      { id: "inodes", label: "Free inodes on /srv", status: "pass", evidence: "2434098 of 2621440 free (93 %)" },
    ]);
  });

  it("fails a full disk and exhausted inodes, each with a fix", () => {
    const [disk, inodes] = checkDisk("/\n/dev/vda1 41152736 40100000 1052736 98% /\n", "/dev/vda1 2621440 2600000 21440 99% /\n", 2048);
    expect(disk).toMatchObject({
      status: "fail",
      label: "Free disk on /",
      evidence: "1.0 GiB free (the role needs at least 2.0 GiB)",
      fix: "Free space on / or grow the disk before provisioning.",
    });
    expect(inodes).toMatchObject({
      status: "fail",
      evidence: "21440 of 2621440 free (1 %)",
      fix: expect.stringMatching(/uploads need inodes/),
    });
  });

  it("a filesystem without inode counts (btrfs: 0 0 0 -) passes, saying so", () => {
    expect(checkDisk(s.get("df"), "/dev/sda2 0 0 0 - /\n", 512)[1]).toMatchObject({
      status: "pass",
      evidence: "the filesystem does not count inodes",
    });
  });

  it.each([
    ["df missing", "/srv\nsh: 1: df: not found\n", "sh: 1: df: not found\n"],
    [
      "only a header",
      "/srv\nFilesystem 1024-blocks Used Available Capacity Mounted on\n",
      "Filesystem Inodes IUsed IFree IUse% Mounted on\n",
    ],
    ["permission denied", "/srv\ndf: /srv: Permission denied\n", "df: /srv: Permission denied\n"],
    ["nothing", undefined, undefined],
    ["cut short", "/srv\n/dev/vda1 41152736\n", "/dev/vda1 2621440\n"],
  ])("unreadable df output (%s) is unknown, never pass", (_what, df, dfi) => {
    expect(checkDisk(df, dfi, 1024).map((i) => i.status)).toEqual(["unknown", "unknown"]);
  });
});

describe("checkDirs", () => {
  const dirs = ROLE_NEEDS.app.dirs;
  it("passes missing directories (provisioning creates them) and existing ones", () => {
    const item = checkDirs("/srv/pixelfox/uploads directory 755 root:root\n/srv/pixelfox/tmp missing\n", dirs);
    expect(item).toEqual({
      id: "dirs",
      label: "Role directories",
      status: "pass",
      evidence: "/srv/pixelfox/uploads directory 755 root:root\n/srv/pixelfox/tmp: missing (provisioning creates it)",
    });
  });

  it("fails a file in the way, naming it and what to do", () => {
    const item = checkDirs("/srv/pixelfox/uploads regular file 644 root:root\n/srv/pixelfox/tmp missing\n", dirs);
    expect(item).toMatchObject({
      status: "fail",
      fix: "Something that is not a directory is in the way: /srv/pixelfox/uploads regular file 644 root:root. Move it aside.",
    });
  });

  it.each([
    ["no answer", ""],
    ["one line for two directories", "/srv/pixelfox/uploads missing\n"],
    ["stat missing", "sh: 1: stat: not found\nsh: 1: stat: not found\n"],
    ["another directory's line", "/srv/other directory 755 root:root\n/srv/pixelfox/tmp missing\n"],
  ])("unreadable output (%s) is unknown, never pass or a wrong fix", (_what, section) => {
    const item = checkDirs(section, dirs);
    expect(item.status).toBe("unknown");
    expect(item.fix ?? "").not.toMatch(/not a directory/);
  });
});

describe("checkPorts", () => {
  it("passes when nothing listens on the role's ports, naming them", () => {
    expect(checkPorts(sections(STDOUT).get("ss"), ROLE_NEEDS.db.ports)).toEqual({
      id: "ports",
      label: "Ports 3306 free",
      status: "pass",
      evidence: "nothing listens on 3306",
    });
  });

  it("fails when something listens there, with the ss line as evidence and what to do", () => {
    expect(checkPorts(sections(STDOUT).get("ss"), ROLE_NEEDS.app.ports)).toEqual({
      id: "ports",
      label: "Ports 4000 free",
      status: "fail",
      evidence: 'LISTEN 0      4096       127.0.0.1:4000      0.0.0.0:*    users:(("docker-proxy",pid=2201,fd=4))',
      fix: "Stop what listens on 4000, or place the role on another host.",
    });
    const proxy = checkPorts("LISTEN 0 511 *:80 *:*\nLISTEN 0 511 [::]:443 [::]:*\n", ROLE_NEEDS.proxy.ports);
    expect(proxy).toMatchObject({ status: "fail", fix: "Stop what listens on 80, 443, or place the role on another host." });
  });

  it.each([
    ["ss missing", "sh: 1: ss: not found\nsh: 1: ss: not found\n"],
    ["no output", ""],
    ["service names instead of ports", "LISTEN 0 128 0.0.0.0:ssh 0.0.0.0:*\n"],
  ])("unreadable output (%s) is unknown with the fix to install ss", (_what, section) => {
    expect(checkPorts(section, [3306])).toMatchObject({ status: "unknown", fix: "Install iproute2 (ss) on the host." });
  });
});

describe("checkCompose", () => {
  it("passes on the plugin's version line", () => {
    expect(checkCompose("Docker Compose version v2.29.7\n")).toEqual({
      id: "compose",
      label: "Docker Compose plugin (optional)",
      status: "pass",
      evidence: "Docker Compose version v2.29.7",
    });
  });

  it.each([
    "docker: 'compose' is not a docker command.\nSee 'docker --help'",
    "docker: unknown command: docker compose\n",
    "sh: 1: docker: not found\n",
    "",
  ])("is unknown, optional and says why when docker answers %j", (text) => {
    const item = checkCompose(text);
    expect(item.status).toBe("unknown");
    expect(item.evidence).toMatch(/^not installed \(.*\): not needed, the panel creates containers through the Docker API/s);
    expect(item.fix).toMatch(/^Optional: install docker-compose-plugin/);
  });
});
