import type { LookupAddress } from "node:dns";
import { describe, expect, it } from "vitest";
import { assertOutboundAllowed, assertOutboundLiteralAllowed, createGuardedLookup, type Resolver } from "./outbound-guard";
import { readPanelAddress, type PanelAddress } from "./panel-address";

const purpose = { field: "endpoint", label: "off-site endpoint" };
const panel: PanelAddress = {
  ports: new Set([3000]),
  machineAddresses: new Set(["127.0.0.1", "10.0.0.5"]),
  machineNames: new Set(["localhost", "panel-box"]),
  publishedAt: new Set(["ops.example.com:443"]),
};

const v4 = (address: string): LookupAddress => ({ address, family: 4 });
const v6 = (address: string): LookupAddress => ({ address, family: 6 });
/** A resolver that answers from a table, counting the questions (DNS never leaves the test). */
function fakeResolver(table: Record<string, LookupAddress[] | LookupAddress[][]>) {
  const asked: string[] = [];
  const resolve: Resolver = async (host) => {
    const n = asked.filter((h) => h === host).length;
    asked.push(host);
    const entry = table[host];
    if (!entry) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" });
    // A list of answers: the n-th question gets the n-th answer (the last one from then on).
    return Array.isArray(entry[0]) ? ((entry as LookupAddress[][])[Math.min(n, entry.length - 1)] ?? []) : (entry as LookupAddress[]);
  };
  return { resolve, asked };
}

const names = fakeResolver({
  localhost: [v4("127.0.0.1"), v6("::1")],
  "localhost.": [v4("127.0.0.1")],
  "s3.fleet.test": [v4("127.0.0.1")],
  "metadata.example": [v4("169.254.169.254")],
  "split.example": [v4("93.184.215.14"), v6("fe80::1")],
  "mapped.example": [v6("::ffff:127.0.0.1")],
  "panel-alias.example": [v4("10.0.0.5")],
  "public.example": [v4("93.184.215.14")],
});
const deps = { resolve: names.resolve, panel };

const refusedAs = (rule: string) => expect.objectContaining({ code: "BAD_REQUEST", data: { field: "endpoint", rule } });

describe("assertOutboundAllowed", () => {
  it.each([
    "http://[::ffff:127.0.0.1]:3000",
    "http://[::ffff:7f00:1]:3000",
    "http://localhost.:3000",
    "http://LOCALHOST:3000/",
    "http://127.1:3000",
    "http://2130706433:3000",
    "http://0x7f.1:3000",
    "http://0.0.0.0:3000",
    "http://[::]:3000",
    "http://[::1]:3000",
    "http://10.0.0.5:3000",
    "http://panel-box:3000",
    "http://bucket.localhost:3000",
    "http://s3.fleet.test:3000",
    "http://mapped.example:3000",
    "http://panel-alias.example:3000",
    "https://ops.example.com/",
  ])("refuses %s: the panel itself", async (url) => {
    await expect(assertOutboundAllowed(url, purpose, deps)).rejects.toThrow(refusedAs("panel-itself"));
    await expect(assertOutboundAllowed(url, purpose, deps)).rejects.toThrow(/points at this panel itself/);
  });

  it.each([
    "http://169.254.169.254/latest/meta-data",
    "http://[fe80::1]/",
    "http://[fd00:ec2::254]/",
    "http://100.100.100.200/latest/meta-data",
    "http://[::ffff:169.254.169.254]/",
    "http://metadata.google.internal/computeMetadata/v1/",
    "http://metadata.google.internal./",
    "http://metadata.example/",
    "http://split.example/",
  ])("refuses %s: link-local or metadata, on any port", async (url) => {
    await expect(assertOutboundAllowed(url, purpose, deps)).rejects.toThrow(refusedAs("link-local-or-metadata"));
  });

  it("says which address a name resolved to, and never echoes the URL's path", async () => {
    const err = await assertOutboundAllowed("http://metadata.example/secret-token-path", purpose, deps).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain("metadata.example resolves to 169.254.169.254");
    expect((err as Error).message).not.toContain("secret-token-path");
  });

  it("refuses a zone-scoped link-local URL as not a URL (WHATWG rejects %25eth0), naming the field", async () => {
    await expect(assertOutboundAllowed("http://[fe80::1%25eth0]/", purpose, deps)).rejects.toThrow(
      expect.objectContaining({ code: "BAD_REQUEST", data: { field: "endpoint" } }),
    );
  });

  it.each([
    "http://127.0.0.1:4569",
    "http://10.213.77.11",
    "http://localhost:5000/v2/",
    "http://s3.fleet.test:4569",
    "https://public.example",
  ])("allows %s (loopback and private services on other ports)", async (url) => {
    await expect(assertOutboundAllowed(url, purpose, deps)).resolves.toMatchObject({ url: new URL(url) });
  });
});

describe("assertOutboundLiteralAllowed (save time, no DNS)", () => {
  it("refuses what is forbidden as written and asks no resolver", () => {
    const { resolve, asked } = fakeResolver({});
    for (const url of ["http://[::ffff:127.0.0.1]:3000", "http://localhost.:3000", "http://169.254.169.254/"]) {
      expect(() => assertOutboundLiteralAllowed(url, purpose, { resolve, panel }), url).toThrow(/this panel itself|metadata/);
    }
    expect(() => assertOutboundLiteralAllowed("http://s3.fleet.test:3000", purpose, { resolve, panel })).not.toThrow();
    expect(asked).toEqual([]);
  });
});

/** Call a net-style lookup the way a socket does. */
function lookupWith(lookup: ReturnType<typeof createGuardedLookup>, host: string, options: { all?: boolean; family?: number } = {}) {
  return new Promise<{ err: Error | null; address: unknown; family?: number }>((resolve) =>
    lookup(host, options, (err, address, family) => resolve({ err, address, family })),
  );
}

describe("createGuardedLookup (connect time)", () => {
  it("hands the socket only checked addresses, in the form it asked for", async () => {
    const lookup = createGuardedLookup(4569, purpose, deps);
    expect(await lookupWith(lookup, "s3.fleet.test")).toEqual({ err: null, address: "127.0.0.1", family: 4 });
    expect(await lookupWith(lookup, "s3.fleet.test", { all: true })).toEqual({ err: null, address: [v4("127.0.0.1")], family: undefined });
  });

  it("refuses when any resolved address is forbidden", async () => {
    const { err } = await lookupWith(createGuardedLookup(443, purpose, deps), "split.example", { all: true });
    expect(err).toMatchObject({ code: "BAD_REQUEST", data: { field: "endpoint", rule: "link-local-or-metadata" } });
  });

  it("blocks DNS rebinding: safe when checked, the panel when the socket resolves", async () => {
    const rebinding = fakeResolver({ "rebind.example": [[v4("93.184.215.14")], [v4("127.0.0.1")]] });
    const d = { resolve: rebinding.resolve, panel };
    await expect(assertOutboundAllowed("http://rebind.example:3000/", purpose, d)).resolves.toBeTruthy();
    const { err, address } = await lookupWith(createGuardedLookup(3000, purpose, d), "rebind.example");
    expect(err).toMatchObject({ code: "BAD_REQUEST", data: { rule: "panel-itself" } });
    expect(address).toBe("");
    expect(rebinding.asked).toEqual(["rebind.example", "rebind.example"]);
  });

  it("passes a resolver failure through (ENOTFOUND)", async () => {
    expect((await lookupWith(createGuardedLookup(80, purpose, deps), "nowhere.example")).err).toMatchObject({ code: "ENOTFOUND" });
  });
});

describe("readPanelAddress", () => {
  const interfaces = { lo: [{ address: "127.0.0.1" }, { address: "::1" }], eth0: [{ address: "10.213.77.1" }] } as never;
  it("reads the ports from PORT, Next's origin and a PANEL_URL on this machine", () => {
    const a = readPanelAddress(
      { PORT: "3100", __NEXT_PRIVATE_ORIGIN: "http://127.0.0.1:3101", PANEL_URL: "http://localhost:3102" },
      interfaces,
      "Box",
    );
    expect([...a.ports].sort()).toEqual([3100, 3101, 3102]);
    expect(a.machineAddresses).toEqual(new Set(["127.0.0.1", "::1", "10.213.77.1"]));
    expect(a.machineNames).toEqual(new Set(["localhost", "box"]));
  });
  it("a PANEL_URL behind a proxy is refused as written only; with nothing set the port is 3000", () => {
    const a = readPanelAddress({ PANEL_URL: "https://Ops.Example.com." }, interfaces, "box");
    expect(a.publishedAt).toEqual(new Set(["ops.example.com:443"]));
    expect(a.ports).toEqual(new Set([3000]));
  });
});
