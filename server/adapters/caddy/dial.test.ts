import { describe, expect, it } from "vitest";
import { assertValidDials, assertValidUpstreamId, isValidDial } from "./dial";

describe("isValidDial", () => {
  it("accepts host:port with an IPv4 address or host name", () => {
    for (const ok of ["127.0.0.1:4000", "127.0.0.1:4001", "10.213.77.11:65535", "app:1", "pixelfox-app.internal:8080"])
      expect(isValidDial(ok), ok).toBe(true);
  });

  it("refuses everything Caddy would interpret or that is not an address", () => {
    const bad = [
      "127.0.0.1",
      "127.0.0.1:0",
      "127.0.0.1:65536",
      "256.0.0.1:80",
      "1.2.3:80",
      ":4000",
      "127.0.0.1:40a",
      "{http.request.host}:80",
      "unix//run/app.sock",
      "tcp/127.0.0.1:4000",
      "[::1]:4000",
      "127.0.0.1:4000 ",
      "-bad-.host:80",
      "a..b:80",
      "127.0.0.1:4000,127.0.0.1:4001",
      "host:80/path",
    ];
    for (const dial of bad) expect(isValidDial(dial), dial).toBe(false);
  });
});

describe("assertValidDials", () => {
  it("wants a non-empty list of distinct valid addresses", () => {
    expect(() => assertValidDials(["127.0.0.1:4000", "127.0.0.1:4001"])).not.toThrow();
    expect(() => assertValidDials([])).toThrow(expect.objectContaining({ code: "BAD_REQUEST" }));
    expect(() => assertValidDials(["127.0.0.1:4000", "127.0.0.1:4000"])).toThrow(/duplicates/);
    expect(() => assertValidDials(["{env.X}:1"])).toThrow(/"\{env.X\}:1" is not a valid upstream address/);
    expect(() => assertValidDials([4000])).toThrow(/number is not a valid upstream address/);
  });

  it("checks the @id that goes into the admin path", () => {
    expect(() => assertValidUpstreamId("pixelfox_upstream")).not.toThrow();
    expect(() => assertValidUpstreamId("../config")).toThrow(expect.objectContaining({ code: "BAD_REQUEST" }));
  });
});
