import { describe, expect, it } from "vitest";
import type { CheckResult } from "@/server/services/health/types";
import { observeSweep } from "./observe";
import { ZChannelInput, ZRuleInput } from "@/server/domain/alerts";
import type { PanelAddress } from "@/server/adapters/http/panel-address";
import { assertChannelTargetAllowed } from "./channel-target";
import { INITIAL_STATE, stepAlert, type AlertState } from "./state-machine";
import type { RuleView } from "./rules";

const rule = { consecutive: 2, repeatMinutes: 10 };

function run(seq: boolean[], timing = rule, stepMs = 60_000) {
  let state: AlertState = INITIAL_STATE;
  return seq.map((bad, i) => {
    const r = stepAlert(state, bad, timing, i * stepMs);
    state = r.state;
    return r.action;
  });
}

describe("alert state machine", () => {
  it("fires once after N consecutive bad checks, repeats at the interval, recovers once", () => {
    // minute: 0 bad, 1 bad → fire, 2..10 bad (quiet), 11 bad → repeat, 12 good → recover, 13 good
    const seq = [true, true, ...Array(9).fill(true), true, false, false];
    expect(run(seq)).toEqual([null, "fire", null, null, null, null, null, null, null, null, null, "repeat", "recover", null]);
  });
  it("a single bad check between good ones does not fire when N = 2", () => {
    expect(run([true, false, true, false])).toEqual([null, null, null, null]);
  });
  it("never repeats with repeatMinutes 0, and N < 1 behaves as 1", () => {
    expect(run([true, true, true], { consecutive: 0, repeatMinutes: 0 }, 3_600_000)).toEqual(["fire", null, null]);
  });
});

const rules: RuleView[] = [
  { kind: "down", label: "", unit: null, enabled: true, threshold: 0, consecutive: 2, repeatMinutes: 60 },
  { kind: "disk", label: "", unit: "%", enabled: true, threshold: 90, consecutive: 1, repeatMinutes: 60 },
  { kind: "inodes", label: "", unit: "%", enabled: false, threshold: 90, consecutive: 1, repeatMinutes: 60 },
  { kind: "hostkey", label: "", unit: null, enabled: true, threshold: 0, consecutive: 1, repeatMinutes: 60 },
  { kind: "deploy_failed", label: "", unit: null, enabled: true, threshold: 0, consecutive: 1, repeatMinutes: 0 },
];
const check = (over: Partial<CheckResult>): CheckResult => ({
  subject: "x",
  kind: "host",
  hostId: "h",
  hostName: "app",
  status: "ok",
  reason: null,
  latencyMs: 1,
  checkedAt: "",
  metrics: {},
  details: {},
  ...over,
});

describe("observeSweep", () => {
  it("turns checks into observations per enabled rule", () => {
    const obs = observeSweep(
      [
        check({ subject: "cache@cache", kind: "cache", hostName: "cache", status: "down", reason: "pxlfox-cache is exited on cache" }),
        check({
          subject: "host:app",
          details: {
            mounts: [
              { mount: "/", usedPct: 20, inodesUsedPct: 95 },
              { mount: "/srv/t", usedPct: 96, inodesUsedPct: 1 },
            ],
          },
        }),
        check({ subject: "host:db", status: "down", failure: { code: "HOST_KEY_MISMATCH", category: "hostkey", message: "changed" } }),
        check({ subject: "db@db", kind: "db", status: "unknown" }),
      ],
      rules,
      { id: "d", tag: "v1.2.0-broken", status: "failed", error: "health gate failed" },
    );
    const bad = obs.filter((o) => o.isBad).map((o) => `${o.rule} ${o.subject}`);
    expect(bad).toEqual(["down cache@cache", "disk host:app:/srv/t", "down host:db", "hostkey host:db", "deploy_failed deploy"]);
    expect(obs.some((o) => o.rule === "inodes")).toBe(false);
    expect(obs.some((o) => o.subject === "db@db")).toBe(false);
    expect(obs.find((o) => o.rule === "down" && o.subject === "cache@cache")!.message).toContain("pxlfox-cache is exited");
  });
});

describe("validation", () => {
  const panel: PanelAddress = {
    ports: new Set([3100]),
    machineAddresses: new Set(["127.0.0.1", "10.0.0.5"]),
    machineNames: new Set(["localhost", "panel-box"]),
    publishedAt: new Set(),
  };
  const hook = (url: string) => () => assertChannelTargetAllowed({ kind: "webhook", name: "h", enabled: true, url }, { panel });
  const mail = (host: string, port: number) => () =>
    assertChannelTargetAllowed(
      { kind: "email", name: "m", enabled: true, host, port, secure: false, username: null, from: "a@b.c", to: ["d@e.f"] },
      { panel },
    );
  it("refuses a webhook that points at the panel itself, however it is spelled", () => {
    for (const url of [
      "http://127.0.0.1:3100/api/trpc",
      "http://localhost:3100/",
      "http://localhost.:3100/",
      "http://10.0.0.5:3100/",
      "http://127.0.0.2:3100/",
      "http://[::ffff:127.0.0.1]:3100/",
      "http://2130706433:3100/",
      "http://0.0.0.0:3100/",
      "http://panel-box:3100/",
    ]) {
      expect(hook(url), url).toThrow(/points at this panel itself/);
    }
    expect(hook("http://127.0.0.1:9999/hook")).not.toThrow();
    expect(hook("https://hooks.slack.com/services/x")).not.toThrow();
  });
  it("refuses a webhook to a metadata address, naming the field; an SMTP host on the panel's port too", () => {
    expect(hook("http://169.254.169.254/latest/meta-data")).toThrow(
      expect.objectContaining({ code: "BAD_REQUEST", data: { field: "url", rule: "link-local-or-metadata" } }),
    );
    expect(mail("[::1]", 3100)).toThrow(expect.objectContaining({ data: { field: "host", rule: "panel-itself" } }));
    expect(mail("169.254.169.254", 25)).toThrow(/link-local or cloud metadata/);
    expect(mail("127.0.0.1", 2525)).not.toThrow();
  });
  it("validates channel URLs and addresses", () => {
    expect(ZChannelInput.safeParse({ kind: "webhook", name: "a", url: "ftp://x/y" }).success).toBe(false);
    expect(ZChannelInput.safeParse({ kind: "webhook", name: "a", url: "not a url" }).success).toBe(false);
    expect(ZChannelInput.safeParse({ kind: "webhook", name: "a", url: "https://u:p@x.example/h" }).success).toBe(false);
    expect(ZChannelInput.safeParse({ kind: "webhook", name: "a", url: "https://x.example/h" }).success).toBe(true);
    const email = { kind: "email", name: "m", host: "127.0.0.1", port: 2525, from: "ops@pixelfox.test", to: ["admin@pixelfox.test"] };
    expect(ZChannelInput.safeParse(email).success).toBe(true);
    expect(ZChannelInput.safeParse({ ...email, to: ["nope"] }).success).toBe(false);
    expect(ZChannelInput.safeParse({ ...email, port: 70000 }).success).toBe(false);
    expect(ZChannelInput.safeParse({ ...email, host: "a b;rm" }).success).toBe(false);
  });
  it("validates rule thresholds", () => {
    const base = { enabled: true, consecutive: 1, repeatMinutes: 60 };
    expect(ZRuleInput.safeParse({ kind: "disk", threshold: 90, ...base }).success).toBe(true);
    expect(ZRuleInput.safeParse({ kind: "disk", threshold: 150, ...base }).success).toBe(false);
    expect(ZRuleInput.safeParse({ kind: "cert", threshold: 0, ...base }).success).toBe(false);
    expect(ZRuleInput.safeParse({ kind: "down", threshold: 0, ...base, consecutive: 0 }).success).toBe(false);
  });
});

describe("backup_stale rule", () => {
  const rules = [
    {
      kind: "backup_stale" as const,
      label: "Last good backup older than",
      unit: "hours" as const,
      enabled: true,
      threshold: 26,
      consecutive: 1,
      repeatMinutes: 720,
    },
  ];
  const now = new Date("2026-11-28T12:00:00Z");

  it("fires when the newest good backup is older than the threshold and recovers with a fresh one", () => {
    const old = observeSweep([], rules, null, new Date("2026-11-27T08:00:00Z"), now);
    expect(old).toEqual([expect.objectContaining({ rule: "backup_stale", isBad: true })]);
    expect(old[0]?.message).toMatch(/28 h old/);
    const fresh = observeSweep([], rules, null, new Date("2026-11-28T11:00:00Z"), now);
    expect(fresh[0]?.isBad).toBe(false);
  });

  it("says nothing before the first good backup exists", () => {
    expect(observeSweep([], rules, null, null, now)).toEqual([]);
  });
});
