import { describe, expect, it } from "vitest";
import type { AuditCheck } from "@/server/domain/security-audit";
import { changeTone, formatScore, groupChecks, isRegression, lightOf, riskOf, scoreSeries } from "./security-look";

const at = new Date("2030-01-01T10:00:00Z");

describe("lightOf (the dashboard's security light)", () => {
  it("is grey and says so before the first audit", () => {
    expect(lightOf({ score: null, failed: 0, unknown: 0, at: null })).toMatchObject({ tone: "neutral", text: "not audited yet" });
  });
  it("is green only for 100 % with nothing failed and nothing unknown", () => {
    expect(lightOf({ score: 100, failed: 0, unknown: 0, at })).toMatchObject({ tone: "success", text: "100%" });
  });
  it("is amber, never green, when some checks are unknown even if every judged check passed", () => {
    expect(lightOf({ score: 100, failed: 0, unknown: 2, at })).toMatchObject({ tone: "warning", text: "100% · 2 unknown" });
    expect(lightOf({ score: null, failed: 0, unknown: 7, at })).toMatchObject({ tone: "warning", text: "— · 7 unknown" });
  });
  it("is amber from 80 % with failures, red below", () => {
    expect(lightOf({ score: 80, failed: 1, unknown: 0, at }).tone).toBe("warning");
    expect(lightOf({ score: 79, failed: 1, unknown: 0, at })).toMatchObject({ tone: "danger", text: "79% · 1 failed" });
  });
});

const check = (id: string, area: AuditCheck["area"], verdict: AuditCheck["verdict"]): AuditCheck => ({
  id,
  area,
  label: id,
  verdict,
  evidence: "",
  why: "",
  fix: null,
  panelFix: null,
});

describe("groupChecks", () => {
  const checks = [
    check("tls-a", "tls", "pass"),
    check("ssh-a", "ssh", "pass"),
    check("ssh-b", "ssh", "unknown"),
    check("ssh-c", "ssh", "fail"),
  ];
  it("follows the areas' order, puts failures first, then unknown, and leaves empty areas out", () => {
    const groups = groupChecks(checks);
    expect(groups.map((g) => g.label)).toEqual(["SSH", "TLS and proxy"]);
    expect(groups[0]?.checks.map((c) => c.id)).toEqual(["ssh-c", "ssh-b", "ssh-a"]);
  });
  it("hides passing checks on request but keeps unknown ones", () => {
    const groups = groupChecks(checks, { hidePassing: true });
    expect(groups.map((g) => g.area)).toEqual(["ssh"]);
    expect(groups[0]?.checks.map((c) => c.verdict)).toEqual(["fail", "unknown"]);
  });
});

describe("changes since the previous run", () => {
  it("calls pass → fail a regression and nothing else", () => {
    expect(isRegression({ from: "pass", to: "fail" })).toBe(true);
    expect(isRegression({ from: "unknown", to: "fail" })).toBe(false);
    expect(isRegression({ from: "new", to: "fail" })).toBe(false);
  });
  it("colours worse red or amber and better green", () => {
    expect(changeTone({ from: "unknown", to: "fail" })).toBe("danger");
    expect(changeTone({ from: "pass", to: "unknown" })).toBe("warning");
    expect(changeTone({ from: "fail", to: "pass" })).toBe("success");
  });
});

describe("scoreSeries and formatScore", () => {
  it("orders finished runs oldest first and skips a run still going", () => {
    const history = [
      { finishedAt: null, score: null },
      { finishedAt: new Date(2_000_000), score: 90 },
      { finishedAt: new Date(1_000_000), score: null },
    ];
    expect(scoreSeries(history)).toEqual([
      [1000, 2000],
      [null, 90],
    ]);
  });
  it("shows a dash, not 0 %, when nothing could be judged", () => {
    expect(formatScore(null)).toBe("—");
    expect(formatScore(0)).toBe("0%");
  });
});

describe("riskOf", () => {
  const risks = [
    { rule: "ports-published:3306", subject: "db1", reason: "Replica on the LAN", acceptedBy: "ada@example.org", createdAt: at },
  ];
  it("finds the risk accepted for this check on this host only", () => {
    expect(riskOf("ports-published:3306", "db1", risks)).toEqual({ reason: "Replica on the LAN", by: "ada@example.org", at });
    expect(riskOf("ports-published:3306", "db2", risks)).toBeNull();
    expect(riskOf("ports-published:6379", "db1", risks)).toBeNull();
  });
});
