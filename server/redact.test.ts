import { describe, expect, it } from "vitest";
import { REDACTED, redact, redactPatterns } from "./redact";

const KEY = `-----BEGIN OPENSSH PRIVATE KEY-----
b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
QyNTUxOQAAACDexample
-----END OPENSSH PRIVATE KEY-----`;

describe("redact", () => {
  it("replaces every occurrence of known secrets, longest first", () => {
    const out = redact("mysql -u app -pS3cretPass! then S3cretPass! again, token abcd1234abcd", ["S3cretPass!", "abcd1234abcd"]);
    expect(out).not.toContain("S3cretPass!");
    expect(out).not.toContain("abcd1234abcd");
    expect(out.split(REDACTED).length - 1).toBeGreaterThanOrEqual(3);
  });

  it("ignores empty and very short secrets instead of shredding the text", () => {
    expect(redact("a b c", ["", "a", null, undefined])).toBe("a b c");
  });

  it("strips private key blocks, keeping the markers so the reader knows what was there", () => {
    const out = redact(`before\n${KEY}\nafter`);
    expect(out).not.toContain("b3BlbnNzaC1rZXktdjEAAAAABG5vbmU");
    expect(out).toContain("-----BEGIN OPENSSH PRIVATE KEY-----");
    expect(out).toContain(REDACTED);
    expect(out).toMatch(/^before/);
    expect(out).toMatch(/after$/);
  });

  it("strips a truncated key block to the end of the text", () => {
    const out = redactPatterns("-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA");
    expect(out).not.toContain("MIIEowIBAAKCAQEA");
  });

  it.each([
    ["password=hunter2xyz", "password=[REDACTED]"],
    ["MYSQL_ROOT_PASSWORD=hunter2xyz other=1", "MYSQL_ROOT_PASSWORD=[REDACTED] other=1"],
    ["REDIS_PASSWORD: 'hunter2 xyz'", "REDIS_PASSWORD: '[REDACTED]'"],
    ['DB_PASSWORD="hunter2 xyz"', 'DB_PASSWORD="[REDACTED]"'],
    ["mariadb-dump --password hunter2xyz db", "mariadb-dump --password [REDACTED] db"],
    ["mysqldump -u root -phunter2xyz db", "mysqldump -u root -p[REDACTED] db"],
    ["redis://default:hunter2xyz@127.0.0.1:6379", "redis://default:[REDACTED]@127.0.0.1:6379"],
    ["API_TOKEN=abc.def", "API_TOKEN=[REDACTED]"],
  ])("strips %s", (input, expected) => {
    expect(redactPatterns(input)).toBe(expected);
  });

  it("leaves ordinary text alone", () => {
    const text = "docker ps -a --format json; port=3306 user=pixelfox";
    expect(redactPatterns(text)).toBe(text);
  });
});

describe("redact on hostile lines of any length (linear time)", () => {
  const MB = 1 << 20;
  // Each made the old patterns backtrack: 40 KB of "a-" alone took ~4 s (quadratic), 1 MB would take an hour.
  const adversarial: [string, (n: number) => string, number][] = [
    ["password= then a run with no end", (n) => `password=${"a".repeat(n)}`, 6],
    ["a-a-a-… (a name start at every other character)", (n) => "a-".repeat(n / 2), 6],
    ["passwordpassword… (a secret word everywhere, no '=')", (n) => "password".repeat(n / 8), 6],
    ["mysql mysql … with no -p", (n) => "mysql ".repeat(n / 6), 6],
    ["a.a.a.…:// (a scheme start at every other character)", (n) => `${"a.".repeat(n / 2)}://`, 6],
    ["=:=:… and spaces after a name", (n) => `token${"=:".repeat(n / 4)}${" ".repeat(n / 2)}`, 6],
    ["-----BEGIN … with no key", (n) => "-----BEGIN ".repeat(n / 11), 6],
    // A match every 12 characters: the output is built from ~350,000 pieces at 4 MB, and the garbage
    // collector's extra work past its young generation shows as a ratio of 6 to 8 here (16 if quadratic).
    ['password="x … (unclosed quotes, a match every 12 characters)', (n) => 'password="x '.repeat(n / 12), 10],
    ["password=x … (a match every 11 characters)", (n) => "password=x ".repeat(n / 11), 10],
    ["mysql -px … (a match every 10 characters)", (n) => "mysql -px ".repeat(n / 10), 10],
  ];

  /** The fastest of five runs of each size, taken in turn: robust to another process taking the CPU for a moment. */
  const fastest = (one: string, four: string) => {
    const time = (text: string) => {
      const started = performance.now();
      redact(text, ["hunter2-long-secret"]);
      return performance.now() - started;
    };
    let best = { one: Infinity, four: Infinity };
    for (let i = 0; i < 5; i++) best = { one: Math.min(best.one, time(one)), four: Math.min(best.four, time(four)) };
    return best;
  };

  it.each(adversarial)(
    "%s: 4 MB takes about 4 times as long as 1 MB, each well under 2 s",
    (_name, make, maxRatio) => {
      redact(make(64 * 1024)); // warm up the JIT
      const { one, four } = fastest(make(MB), make(4 * MB));
      expect(one).toBeLessThan(2_000);
      expect(four).toBeLessThan(2_000);
      // Linear gives ~4; the old patterns were quadratic (~16). A floor keeps timer noise on tiny runs out.
      expect(four / Math.max(one, 5)).toBeLessThan(maxRatio);
    },
    60_000,
  );

  it("redacts a 10 MB hostile line in under 2 s, and still finds the secret at its end", () => {
    const line = `${"a-".repeat(5 * MB)} password=hunter2xyz`;
    const started = performance.now();
    const out = redactPatterns(line);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(out.endsWith(" password=[REDACTED]")).toBe(true);
  }, 60_000);

  it("redacts an unclosed quoted value to the end of the line instead of leaving it", () => {
    expect(redactPatterns('DB_PASSWORD="hunter2 xyz\nnext')).toBe("DB_PASSWORD=[REDACTED]\nnext");
    expect(redactPatterns("mysqldump --password 'hunter2 xyz")).toBe("mysqldump --password [REDACTED]");
  });
});
