import { describe, expect, it } from "vitest";
import type { AuditCheck, HostAuditResult } from "@/server/domain/security-audit";
import { diffRuns, isRegression, markAcceptedRisks, redactResults } from "./assemble";

const c = (id: string, verdict: AuditCheck["verdict"], evidence = "seen"): AuditCheck => ({
  id,
  area: "ports",
  label: `label of ${id}`,
  verdict,
  evidence,
  why: "why",
  fix: verdict === "pass" ? null : "fix",
  panelFix: null,
});
const host = (name: string, checks: AuditCheck[]): HostAuditResult => ({
  hostId: name,
  host: name,
  roles: ["db"],
  checks,
  error: null,
  durationMs: 1,
});

describe("what changed between two runs", () => {
  it("lists fixes and regressions; a check that always failed is no regression; the first run lists nothing", () => {
    const before = [host("plan-db", [c("ports-published:3306", "pass"), c("ssh-password-auth", "fail"), c("firewall-active", "unknown")])];
    const after = [
      host("plan-db", [
        c("ports-published:3306", "fail"),
        c("ssh-password-auth", "pass"),
        c("firewall-active", "unknown"),
        c("new-check", "fail"),
      ]),
    ];
    const changes = diffRuns(before, after);
    expect(changes).toEqual([
      { host: "plan-db", checkId: "ports-published:3306", label: "label of ports-published:3306", from: "pass", to: "fail" },
      { host: "plan-db", checkId: "ssh-password-auth", label: "label of ssh-password-auth", from: "fail", to: "pass" },
      { host: "plan-db", checkId: "new-check", label: "label of new-check", from: "new", to: "fail" },
    ]);
    expect(changes.filter(isRegression).map((x) => x.checkId)).toEqual(["ports-published:3306"]);
    expect(diffRuns(null, after)).toEqual([]);
  });
});

describe("accepted risks and redaction", () => {
  it("marks a failing check accepted by check id and host, and an env rule by rule and key; never a passing one", () => {
    const at = new Date("2026-12-01T10:00:00Z");
    const risks = [
      {
        id: "1",
        rule: "ssh-non-root-user",
        subject: "plan-db",
        reason: "root until the deploy user exists",
        acceptedBy: "admin",
        createdAt: at,
      },
      { id: "2", rule: "secret-weak", subject: "UPLOAD_TOKEN_SECRET", reason: "rotating it next week", acceptedBy: "admin", createdAt: at },
    ];
    const out = markAcceptedRisks(
      [
        host("plan-db", [
          c("ssh-non-root-user", "fail"),
          c("env:secret-weak:UPLOAD_TOKEN_SECRET", "fail"),
          c("ports-published:3306", "fail"),
        ]),
        host("plan-app", [c("ssh-non-root-user", "fail")]),
      ],
      risks,
    );
    expect(out[0]!.checks.map((x) => x.acceptedRisk?.reason ?? null)).toEqual([
      "root until the deploy user exists",
      "rotating it next week",
      null,
    ]);
    expect(out[1]!.checks[0]!.acceptedRisk ?? null).toBeNull();
    expect(markAcceptedRisks([host("plan-db", [c("ssh-non-root-user", "pass")])], risks)[0]!.checks[0]!.acceptedRisk ?? null).toBeNull();
  });

  it("redacts evidence, fixes and host errors", () => {
    const [h] = redactResults([{ ...host("plan-db", [c("x", "fail", "password s3cr3t-value")]), error: "auth s3cr3t-value" }], (t) =>
      t.replaceAll("s3cr3t-value", "[redacted]"),
    );
    expect(h!.checks[0]!.evidence).toBe("password [redacted]");
    expect(h!.error).toBe("auth [redacted]");
  });
});
