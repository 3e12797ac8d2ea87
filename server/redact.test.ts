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
