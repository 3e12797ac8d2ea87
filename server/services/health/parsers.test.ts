import { describe, expect, it } from "vitest";
import { mergeMountUsage, parseDf } from "./parse-df";
import { computeCpuUsage, parseLoadavg, parseMeminfo, parseProcStat } from "./parse-proc";
import { parseKeyspace, parseRedisInfo, summarizeRedisInfo } from "./parse-redis-info";
import { envValue, requirePassOf } from "./credentials";
import { publicBaseUrl } from "./check-app";

describe("/proc parsers", () => {
  it("computes CPU busy and IO wait between two /proc/stat reads", () => {
    const a = parseProcStat("cpu  100 0 100 700 100 0 0 0 0 0\ncpu0 1 2 3 4\nintr 5")!;
    const b = parseProcStat("cpu  200 0 200 1300 300 0 0 0 0 0\n")!;
    expect(a).toEqual({ total: 1000, idle: 700, iowait: 100 });
    // 1000 jiffies passed: 200 busy, 600 idle, 200 iowait
    expect(computeCpuUsage(a, b)).toEqual({ cpuPct: 20, iowaitPct: 20 });
    expect(computeCpuUsage(a, a)).toEqual({ cpuPct: 0, iowaitPct: 0 });
    expect(parseProcStat("garbage")).toBeNull();
  });

  it("reads memory in use from MemAvailable, falling back on old kernels", () => {
    expect(parseMeminfo("MemTotal:       1000 kB\nMemFree:  100 kB\nMemAvailable:   250 kB\n")).toEqual({
      totalKb: 1000,
      availableKb: 250,
      usedPct: 75,
    });
    expect(parseMeminfo("MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 50 kB\nCached: 50 kB\n")!.usedPct).toBe(80);
    expect(parseMeminfo("nothing")).toBeNull();
  });

  it("reads load averages", () => {
    expect(parseLoadavg("2.05 1.98 1.68 3/257 24403\n")).toEqual({ load1: 2.05, load5: 1.98, load15: 1.68 });
    expect(parseLoadavg("x")).toBeNull();
  });
});

describe("df parser", () => {
  const blocks = `Filesystem     1024-blocks     Used Available Capacity Mounted on
devtmpfs          12334492        0  12334492       0% /dev
/dev/vda         264212084 27278556  79112356      26% /
overlay          264212084 27278556  79112356      26% /var/lib/docker/overlay2/abc/merged
tiny                     4        0         4       0% /mnt/x
tmpfs                 8192     7800       392      96% /srv/pxf tmpfs test
`;
  const inodes = `Filesystem   Inodes  IUsed IFree IUse% Mounted on
/dev/vda   16777216 481849 16295367 3% /
tmpfs          2048     10   2038    1% /srv/pxf tmpfs test
`;
  it("keeps real mounts (with spaces in the path), drops pseudo and placeholder ones, joins inodes", () => {
    const rows = parseDf(blocks);
    expect(rows).toHaveLength(5);
    expect(mergeMountUsage(rows, parseDf(inodes))).toEqual([
      { mount: "/", filesystem: "/dev/vda", totalKb: 264212084, usedPct: 26, inodesUsedPct: 3 },
      { mount: "/srv/pxf tmpfs test", filesystem: "tmpfs", totalKb: 8192, usedPct: 96, inodesUsedPct: 1 },
    ]);
  });
  it("accepts '-' for filesystems without inode counts", () => {
    expect(parseDf("Filesystem Inodes IUsed IFree IUse% Mounted on\nbtrfs - - - - /data\n")).toEqual([]);
  });
});

describe("redis INFO parser", () => {
  const info =
    "# Server\r\nredis_version:7.0.15\r\nuptime_in_seconds:99\r\n\r\n# Clients\r\nconnected_clients:3\r\n# Memory\r\nused_memory:1048576\r\nmaxmemory:0\r\n# Stats\r\nevicted_keys:5\r\n# Keyspace\r\ndb0:keys=12,expires=3,avg_ttl=0\r\ndb1:keys=4,expires=4,avg_ttl=10\r\n";
  it("summarises memory, clients, evictions and keys per DB", () => {
    expect(parseRedisInfo(info).get("redis_version")).toBe("7.0.15");
    expect(parseKeyspace(parseRedisInfo(info))).toEqual({ 0: 12, 1: 4 });
    expect(summarizeRedisInfo(info)).toEqual({
      version: "7.0.15",
      usedMemory: 1048576,
      maxMemory: 0,
      connectedClients: 3,
      evictedKeys: 5,
      keys: { db0: 12, db1: 4, db2: 0 },
      uptimeS: 99,
    });
  });
});

describe("credentials and URLs", () => {
  it("finds --requirepass in either form and env values", () => {
    expect(requirePassOf(["redis-server", "--requirepass", "s3cret", "--port", "6379"])).toBe("s3cret");
    expect(requirePassOf(["dragonfly", "--requirepass=abc"])).toBe("abc");
    expect(requirePassOf(["redis-server"])).toBeNull();
    expect(envValue(["A=1", "DB_PASSWORD=x=y"], "DB_PASSWORD")).toBe("x=y");
    expect(envValue(["A=1"], "B")).toBeNull();
  });
  it("builds the public URL from a domain with or without a scheme", () => {
    expect(publicBaseUrl("http://10.213.77.11/")).toBe("http://10.213.77.11");
    expect(publicBaseUrl("pixelfox.example")).toBe("https://pixelfox.example");
  });
});
