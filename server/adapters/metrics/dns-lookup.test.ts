import { describe, expect, it } from "vitest";
import { checkDnsPointsAt } from "./dns-lookup";

describe("DNS check of the public domain", () => {
  it("needs no lookup for an IP literal and compares it with the proxy host", async () => {
    expect(await checkDnsPointsAt("10.213.77.11", "10.213.77.11")).toMatchObject({ checked: false, matches: true });
    expect(await checkDnsPointsAt("10.213.77.99", "10.213.77.11")).toMatchObject({ matches: false });
  });
});
