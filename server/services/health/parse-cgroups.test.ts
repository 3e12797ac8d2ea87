import { describe, expect, it } from "vitest";
import type { HostSnapshotText } from "@/server/adapters/metrics/host-snapshot";
import { containerCpuPct, countCpus, parseCgroups } from "./parse-cgroups";
import { usageFromCgroups } from "./host-containers";

const A = "1d70ea8806a4b64786d2502d6ea716d3df183043a67105a7e5cdd103221446c8";
const B = "935c92144cf91108e52edc2f69bcad318e0ca745c074b78d5980bcffea1074ef";
// As the snapshot prints them: cgroup v1 (cgroupfs driver) and v2 (systemd driver).
const v1 = (cpuNs: number) =>
  `cg /sys/fs/cgroup/cpuacct/docker/${A}\nusage_ns ${cpuNs}\nusage_in_bytes 23969792\ntotal_inactive_file 4464640\nlimit_in_bytes 9223372036854771712\n`;
const v2 = `cg /sys/fs/cgroup/system.slice/docker-${B}.scope\nusage_usec 5000\ncurrent 10000000\ninactive_file 2000000\nmax 536870912\n`;

describe("parseCgroups", () => {
  it("reads v1 and v2 counters per container id, memory without the inactive page cache", () => {
    const m = parseCgroups(v1(124332944) + v2);
    expect(m.get(A)).toEqual({ containerId: A, cpuNs: 124332944, memBytes: 23969792 - 4464640, memLimitBytes: null });
    expect(m.get(B)).toEqual({ containerId: B, cpuNs: 5_000_000, memBytes: 8_000_000, memLimitBytes: 536870912 });
  });

  it("skips a block whose counters could not be read, and names that are not container ids", () => {
    const text = `cg /sys/fs/cgroup/docker/${A}\nusage_usec \ncurrent 5\ncg /sys/fs/cgroup/docker/not-a-container\nusage_usec 1\ncurrent 1\n`;
    expect(parseCgroups(text).size).toBe(0);
  });
});

describe("container CPU from cgroup counters", () => {
  it("is the CPU time used over the host's CPU time, times the CPUs (as docker stats computes it)", () => {
    // 0.5 s of CPU over 1 s of wall time on 2 CPUs: /proc/stat's total grows by 200 ticks.
    expect(containerCpuPct({ cpuNs: 0, systemTicks: 1000 }, { cpuNs: 500_000_000, systemTicks: 1200 }, 2)).toBe(50);
    expect(countCpus("cpu  1 2 3 4\ncpu0 1 1 1 1\ncpu1 1 1 1 1\nintr 5\n")).toBe(2);
  });

  const proc = (ticks: number) => `cpu  ${ticks} 0 0 0 0 0 0 0\ncpu0 1 0 0 0\ncpu1 1 0 0 0\nMemTotal: 1000 kB\n`;
  const snap = (over: Partial<HostSnapshotText>): HostSnapshotText => ({
    procFirst: proc(1000),
    statSecond: "",
    dfBlocks: "",
    dfInodes: "",
    cgroupsFirst: v1(0),
    cgroupsSecond: "",
    sampleMs: 0,
    ...over,
  });
  const list = [
    { id: A, name: "pxlfox-app" },
    { id: B, name: "custom-parent" },
  ];

  it("on a first sweep measures between the snapshot's two reads; a container without a cgroup is left to the Docker API", () => {
    const { usage, readings } = usageFromCgroups(
      list,
      snap({ statSecond: proc(1200), cgroupsSecond: v1(500_000_000), sampleMs: 1000 }),
      undefined,
    );
    expect(usage.get(A)).toEqual({
      name: "pxlfox-app",
      cpuPct: 50,
      memBytes: 23969792 - 4464640,
      memLimitBytes: 1000 * 1024,
      source: "cgroup",
    });
    expect(usage.has(B)).toBe(false);
    expect(readings.get(A)).toEqual({ cpuNs: 500_000_000, systemTicks: 1200 });
  });

  it("on a steady sweep measures against the previous sweep's reading, without a second read", () => {
    const { usage } = usageFromCgroups(
      list,
      snap({ procFirst: proc(1400), cgroupsFirst: v1(700_000_000) }),
      new Map([[A, { cpuNs: 500_000_000, systemTicks: 1200 }]]),
    );
    expect(usage.get(A)!.cpuPct).toBe(20);
  });
});
