import { describe, expect, it } from "vitest";
import { readFixture } from "./parsers/read-fixture";
import { evaluatePortChecks } from "./port-checks";
import { isPrivateIp } from "./port-exposure";
import { buildFacts, checkOf, dockerFixture, failed, ran } from "./testing/host-facts-builder";

const REFUSED = { port: 3306, open: false as const, detail: "connection refused" };
const APP_HOST = { host: { name: "app1", roles: ["app", "proxy"], privateAddress: "10.0.0.30", address: "203.0.113.30" } };
const ids = (checks: ReturnType<typeof evaluatePortChecks>) => checks.map((c) => `${c.id}:${c.verdict}`);
const INACTIVE = {
  ufw: ran("fixture:ufw-status-inactive.txt"),
  nft: ran("fixture:nft-ruleset-debian-default.txt"),
  iptables: ran("fixture:iptables-save-ufw-disabled.txt"),
  ip6tables: ran("fixture:ip6tables-save-plain-accept.txt"),
};
const caddy443 = {
  Name: "/edge",
  HostConfig: { NetworkMode: "bridge", PortBindings: {} },
  NetworkSettings: { Ports: { "443/tcp": [{ HostIp: "0.0.0.0", HostPort: "443" }] } },
};

describe("published port checks", () => {
  it("fails 3306 published on all interfaces, even when the panel's connect was refused, and says both", () => {
    const checks = evaluatePortChecks(buildFacts({ containers: dockerFixture("docker-inspect-db-running.json"), reachability: [REFUSED] }));
    const db = checkOf(checks, "ports-published:3306");
    expect(db.verdict).toBe("fail");
    expect(db.area).toBe("ports");
    expect(db.evidence).toContain("pxlfox-db: 0.0.0.0:3306 → 3306/tcp (all interfaces)");
    expect(db.evidence).toContain("pxlfox-db: :::3306 → 3306/tcp (all interfaces)");
    expect(db.evidence).toContain("TCP connect to 203.0.113.10:3306 from the panel: closed (connection refused)");
    expect(db.evidence).toContain("the configuration still exposes it");
    expect(db.evidence).toContain("ufw and INPUT rules do not restrict them");
    expect(db.fix).toContain('ports: ["10.0.0.10:3306:3306"]');
    expect(db.fix).toContain(
      "sudo iptables -I DOCKER-USER -p tcp -m conntrack --ctorigdstport 3306 --ctdir ORIGINAL ! -s 10.0.0.30 -j DROP",
    );
  });

  it("fails a MariaDB on 0.0.0.0:3306 and an adminer the plan never opens, one check per published port", () => {
    const checks = evaluatePortChecks(buildFacts({ containers: dockerFixture("docker-inspect-mariadb-all-interfaces.json") }));
    expect(ids(checks)).toEqual(["ports-published:3306:fail", "ports-published:8080:fail"]);
    const adminer = checkOf(checks, "ports-published:8080");
    expect(adminer.evidence).toContain("adminer: 0.0.0.0:8080 → 8080/tcp (all interfaces)");
    expect(adminer.fix).toContain('"127.0.0.1:8080:<container port>"');
  });

  it("passes a cache on the loopback and a db on the host's private address", () => {
    const cache = buildFacts({ host: { roles: ["cache"] }, containers: dockerFixture("docker-inspect-redis-loopback.json") });
    const redis = checkOf(evaluatePortChecks(cache), "ports-published:6379");
    expect(redis).toMatchObject({ verdict: "pass", fix: null });
    expect(redis.evidence).toContain("pxlfox-cache: 127.0.0.1:6379 → 6379/tcp (loopback)");
    const priv = checkOf(
      evaluatePortChecks(buildFacts({ containers: dockerFixture("docker-inspect-db-private.json") })),
      "ports-published:3306",
    );
    expect(priv).toMatchObject({ verdict: "pass", evidence: expect.stringContaining("10.0.0.10:3306 → 3306/tcp (private)") });
  });

  it("fails on the panel's side: an open connect fails whatever Docker says", () => {
    const open = { port: 6379, open: true as const, detail: "" };
    const facts = buildFacts({
      host: { roles: ["cache"] },
      containers: dockerFixture("docker-inspect-redis-loopback.json"),
      reachability: [open],
    });
    const redis = checkOf(evaluatePortChecks(facts), "ports-published:6379");
    expect(redis.verdict).toBe("fail");
    expect(redis.evidence).toContain("TCP connect to 203.0.113.10:6379 from the panel: open");
    expect(redis.fix).toContain("sudo ss -ltnp 'sport = :6379'");
  });

  it("is unknown without Docker's view, and never passes on it alone without ss or a connect", () => {
    const noDocker = checkOf(evaluatePortChecks(buildFacts({ containers: null })), "ports-published:3306");
    expect(noDocker).toMatchObject({ verdict: "unknown", evidence: expect.stringContaining("Docker: Docker could not be read") });
    expect(noDocker.fix).toContain("Docker socket");
    const noSs = buildFacts({ commands: { ss: failed("ss: command failed", 1) } });
    expect(checkOf(evaluatePortChecks(noSs), "ports-published:3306").verdict).toBe("unknown");
    expect(checkOf(evaluatePortChecks({ ...noSs, reachability: [REFUSED] }), "ports-published:3306").verdict).toBe("pass");
    const garbage = checkOf(evaluatePortChecks(buildFacts({ containers: ["not a container"] })), "ports-published:3306");
    expect(garbage.verdict).toBe("unknown");
  });

  it("judges a MySQL installed on the host (0.0.0.0:3306 in ss) by the firewall in front of it", () => {
    const ss = ran("fixture:ss-ltnH.txt", "user");
    const restricted = checkOf(evaluatePortChecks(buildFacts({ commands: { ss } })), "ports-published:3306");
    expect(restricted.verdict).toBe("pass");
    expect(restricted.evidence).toContain("listening outside Docker: 0.0.0.0:3306 (all interfaces; firewall restricts it: true)");
    const inactive = buildFacts({ commands: { ss, ...INACTIVE } });
    const open = checkOf(evaluatePortChecks(inactive), "ports-published:3306");
    expect(open.verdict).toBe("fail");
    expect(open.fix).toContain("MySQL listens outside Docker: set bind-address = <private-ip>");
    expect(open.fix).toContain("sudo ufw allow from 10.0.0.30 to any port 3306 proto tcp");
    // Active and denying by default, but accepting 3306 from a source that is not an app host.
    const wide = checkOf(
      evaluatePortChecks(buildFacts({ commands: { ss, ufw: ran("fixture:ufw-status-assorted.txt") } })),
      "ports-published:3306",
    );
    expect(wide).toMatchObject({ verdict: "fail", evidence: expect.stringContaining("firewall restricts it: false") });
    const allowAll = ran(readFixture("ufw-status-active-no-rules.txt").replace("deny (incoming)", "allow (incoming)"));
    expect(checkOf(evaluatePortChecks(buildFacts({ commands: { ss, ufw: allowAll } })), "ports-published:3306").verdict).toBe("fail");
    const unread = buildFacts({
      commands: {
        ss,
        ufw: failed("fixture:ufw-status-not-root.txt"),
        nft: failed("fixture:nft-ruleset-not-root.txt"),
        iptables: failed("fixture:iptables-save-not-root.txt", 4),
      },
    });
    expect(checkOf(evaluatePortChecks(unread), "ports-published:3306").verdict).toBe("unknown");
    // Docker's own proxy on 0.0.0.0:3306 is the Docker binding, not a second listener.
    const docker = buildFacts({ commands: { ss }, containers: dockerFixture("docker-inspect-db-running.json") });
    expect(checkOf(evaluatePortChecks(docker), "ports-published:3306").evidence).not.toContain("listening outside Docker");
  });

  it("keeps the app's 4000 on the loopback: pass as the compose file has it, fail on all interfaces or an open connect", () => {
    const loopback = evaluatePortChecks(buildFacts({ ...APP_HOST, containers: dockerFixture("docker-inspect-app-stopped.json") }));
    expect(ids(loopback)).toEqual(["ports-4000-internal:pass"]);
    expect(checkOf(loopback, "ports-4000-internal").evidence).toContain("pxlfox-app: 127.0.0.1:4000 → 4000/tcp (loopback)");
    const all = checkOf(
      evaluatePortChecks(buildFacts({ ...APP_HOST, containers: dockerFixture("docker-inspect-app-all-interfaces.json") })),
      "ports-4000-internal",
    );
    expect(all.verdict).toBe("fail");
    expect(all.fix).toContain('ports: ["127.0.0.1:4000:4000"]');
    const reach = { port: 4000, open: true as const, detail: "" };
    const confirmed = buildFacts({ ...APP_HOST, containers: dockerFixture("docker-inspect-app-stopped.json"), reachability: [reach] });
    expect(checkOf(evaluatePortChecks(confirmed), "ports-4000-internal")).toMatchObject({
      verdict: "fail",
      evidence: expect.stringContaining("TCP connect to 203.0.113.30:4000 from the panel: open"),
    });
    const privateApp = { ...(dockerFixture("docker-inspect-app-all-interfaces.json")[0] as object) };
    const onPrivate = JSON.parse(
      JSON.stringify(privateApp).replaceAll('"0.0.0.0"', '"10.0.0.30"').replaceAll('"::"', '"10.0.0.30"'),
    ) as unknown;
    expect(checkOf(evaluatePortChecks(buildFacts({ ...APP_HOST, containers: [onPrivate] })), "ports-4000-internal").verdict).toBe("fail");
  });

  it("passes ports the host's roles open to everyone, and leaves out 3306/6379 on a host that has nothing on them", () => {
    const checks = evaluatePortChecks(buildFacts({ ...APP_HOST, containers: [caddy443] }));
    expect(ids(checks)).toEqual(["ports-4000-internal:pass", "ports-published:443:pass"]);
    // An app host with a MySQL of its own on 0.0.0.0 and no firewall: the check appears, failed.
    const hostMysql = evaluatePortChecks(buildFacts({ ...APP_HOST, commands: { ss: ran("fixture:ss-ltnH.txt", "user"), ...INACTIVE } }));
    expect(ids(hostMysql)).toEqual(["ports-published:3306:fail", "ports-4000-internal:pass"]);
  });

  it("fails a db published on the address the panel reaches the host on (its public one)", () => {
    // In a sandbox that address is in a private range too: it is still where the internet would reach the host.
    const onPublic = JSON.parse(readFixture("docker-inspect-db-private.json").replaceAll("10.0.0.10", "10.77.0.10")) as unknown[];
    const db = checkOf(evaluatePortChecks(buildFacts({ host: { address: "10.77.0.10" }, containers: onPublic })), "ports-published:3306");
    expect(db).toMatchObject({ verdict: "fail", evidence: expect.stringContaining("10.77.0.10:3306 → 3306/tcp (public)") });
  });

  it("tells private addresses from public ones", () => {
    expect(["10.1.2.3", "172.16.0.1", "172.31.255.1", "192.168.1.1", "100.64.0.1", "fd00::10", "fe80::1"].every(isPrivateIp)).toBe(true);
    expect(["203.0.113.10", "172.32.0.1", "8.8.8.8", "2001:db8::1", "100.128.0.1"].some(isPrivateIp)).toBe(false);
  });
});
