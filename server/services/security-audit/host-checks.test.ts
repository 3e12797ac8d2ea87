import { describe, expect, it } from "vitest";
import { AUDIT_AREAS } from "@/server/domain/security-audit";
import { parseHostAuditOutput } from "./collect-script";
import { evaluateHostChecks } from "./host-checks";
import { buildFacts, dockerFixture } from "./testing/host-facts-builder";

describe("evaluateHostChecks", () => {
  it("judges a db host in the plan's order, with stable ids and every field the page shows", () => {
    const checks = evaluateHostChecks(buildFacts({ containers: [] }));
    expect(checks.map((c) => `${c.area}/${c.id}:${c.verdict}`)).toEqual([
      "ssh/ssh-password-auth:pass",
      "ssh/ssh-root-login:pass",
      "ssh/ssh-non-root-user:pass",
      "ssh/ssh-port:pass",
      "firewall/firewall-active:pass",
      "firewall/firewall-default-deny:pass",
      "firewall/firewall-only-plan-ports:pass",
      "ports/ports-published:3306:pass",
    ]);
    for (const c of checks) {
      expect(AUDIT_AREAS).toContain(c.area);
      expect(c.label.length).toBeGreaterThan(5);
      expect(c.evidence.length).toBeGreaterThan(0);
      expect(c.evidence.split("\n").length).toBeLessThanOrEqual(20);
      expect(c.why.length).toBeGreaterThan(20);
      expect(c.panelFix).toBeNull();
    }
  });

  it("a db published on the private address is off the internet, yet ufw cannot keep it to the app hosts", () => {
    const checks = evaluateHostChecks(buildFacts({ containers: dockerFixture("docker-inspect-db-private.json") }));
    expect(checks.find((c) => c.id === "ports-published:3306")?.verdict).toBe("pass");
    expect(checks.find((c) => c.id === "firewall-only-plan-ports")).toMatchObject({
      verdict: "fail",
      evidence: expect.stringContaining("bypasses the firewall: 3306 published by Docker on 10.0.0.10"),
    });
  });

  it("passes nothing when the audit printed nothing readable", () => {
    for (const stdout of ["", "sh: 1: Syntax error\n", "@@pxf-audit 1\n@@begin uid as=user\no|10"]) {
      const checks = evaluateHostChecks(buildFacts({ commands: parseHostAuditOutput(stdout), containers: null }));
      expect(checks.filter((c) => c.verdict === "pass").map((c) => c.id)).toEqual([]);
      expect(checks.filter((c) => c.verdict === "unknown").every((c) => c.fix !== null)).toBe(true);
    }
  });
});
