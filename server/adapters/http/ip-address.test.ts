import { describe, expect, it } from "vitest";
import { canonicalIp, isLinkLocalOrMetadata, isThisMachine } from "./ip-address";

describe("canonicalIp", () => {
  it("writes every spelling of one address the same way", () => {
    const loopback = ["127.0.0.1", "127.1", "2130706433", "0x7f.1", "0177.0.0.1", "127.0.0.1.", "[::ffff:127.0.0.1]", "::ffff:7f00:1"];
    for (const s of [...loopback, "0:0:0:0:0:ffff:7f00:1", "::ffff:0:7f00:1", "64:ff9b::7f00:1", "::127.0.0.1"]) {
      expect(canonicalIp(s), s).toBe("127.0.0.1");
    }
    expect(canonicalIp("[0:0:0:0:0:0:0:1]")).toBe("::1");
    expect(canonicalIp("::")).toBe("::");
    expect(canonicalIp("FE80::1%eth0")).toBe("fe80::1");
    expect(canonicalIp("fe80::1%25eth0")).toBe("fe80::1");
    expect(canonicalIp("FD00:EC2:0:0:0:0:0:254")).toBe("fd00:ec2::254");
    expect(canonicalIp("0")).toBe("0.0.0.0");
  });

  it("is null for names and for anything with URL syntax in it", () => {
    for (const s of [
      "localhost",
      "localhost.",
      "s3.example.com",
      "metadata.google.internal",
      "evil.test/@127.0.0.1",
      "a b",
      "1.2.3.4:80",
      "",
    ]) {
      expect(canonicalIp(s), s).toBeNull();
    }
  });
});

describe("address classes", () => {
  it("link-local and cloud metadata", () => {
    for (const a of ["169.254.169.254", "169.254.0.1", "100.100.100.200", "168.63.129.16", "fe80::1", "febf::1", "fd00:ec2::254"]) {
      expect(isLinkLocalOrMetadata(a), a).toBe(true);
    }
    for (const a of ["169.253.255.255", "169.255.0.1", "100.100.100.201", "10.213.77.11", "fec0::1", "fd00:ec2::253", "127.0.0.1"]) {
      expect(isLinkLocalOrMetadata(a), a).toBe(false);
    }
  });

  it("this machine: 127.0.0.0/8, 0.0.0.0/8, ::1, ::", () => {
    for (const a of ["127.0.0.1", "127.255.0.9", "0.0.0.0", "::1", "::"]) expect(isThisMachine(a), a).toBe(true);
    for (const a of ["128.0.0.1", "10.213.77.11", "::2", "fe80::1"]) expect(isThisMachine(a), a).toBe(false);
  });
});
