import net from "node:net";

/**
 * One spelling per IP address, so a rule written once catches every way of writing it:
 * dotted-decimal IPv4 (also for an IPv4 address carried inside IPv6: `::ffff:7f00:1`, NAT64
 * `64:ff9b::7f00:1`, `::127.0.0.1`), lower-case compressed IPv6 without brackets or zone otherwise.
 * The other IPv4 spellings (`2130706433`, `0x7f.1`, `127.1`, `0177.0.0.1`, a trailing dot) are read
 * as the WHATWG URL parser reads them, which is how a URL's host reaches the socket. null: not an IP.
 */
export function canonicalIp(input: string): string | null {
  let s = input.trim().toLowerCase();
  if (s.startsWith("[") && s.endsWith("]")) s = s.slice(1, -1);
  if (s.includes(":")) {
    // A zone ("fe80::1%eth0", "%25eth0" in a URL) only picks the interface: the address is the same.
    const zone = s.indexOf("%");
    if (zone !== -1) s = s.slice(0, zone);
    if (net.isIP(s) !== 6) return null;
    const groups = expandIpv6(new URL(`http://[${s}]/`).hostname.slice(1, -1));
    return embeddedIpv4(groups) ?? compressIpv6(groups);
  }
  s = s.replace(/\.$/, "");
  if (net.isIP(s) === 4) return s;
  // Only a bare host can be an IPv4 spelling; anything with URL syntax in it is not an address.
  if (!s || /[/?#@\\\s%]/.test(s)) return null;
  try {
    const host = new URL(`http://${s}/`).hostname;
    return net.isIP(host) === 4 ? host : null;
  } catch {
    return null;
  }
}

/** The family of a canonical address. */
export function ipFamily(canonical: string): 4 | 6 {
  return canonical.includes(":") ? 6 : 4;
}

/** Eight 16-bit groups of a canonical (URL-normalized, hex-only) IPv6 address. */
function expandIpv6(s: string): number[] {
  const [head = "", tail] = s.split("::");
  const left = head ? head.split(":") : [];
  const right = tail === undefined ? [] : tail ? tail.split(":") : [];
  const zeros = 8 - left.length - right.length;
  return [...left, ...Array<string>(tail === undefined ? 0 : zeros).fill("0"), ...right].map((g) => parseInt(g, 16));
}

function compressIpv6(groups: number[]): string {
  return new URL(`http://[${groups.map((g) => g.toString(16)).join(":")}]/`).hostname.slice(1, -1);
}

/**
 * Security: IPv6 forms that a dual-stack socket (or a NAT64 gateway) delivers to an IPv4 address are
 * judged as that IPv4 address, so `[::ffff:127.0.0.1]` is loopback like `127.0.0.1`.
 */
function embeddedIpv4(g: number[]): string | null {
  const low = (): string => [g[6]! >> 8, g[6]! & 255, g[7]! >> 8, g[7]! & 255].join(".");
  const zeroUpTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeroUpTo(5) && g[5] === 0xffff) return low(); // ::ffff:a.b.c.d, IPv4-mapped
  if (zeroUpTo(4) && g[4] === 0xffff && g[5] === 0) return low(); // ::ffff:0:a.b.c.d, IPv4-translated
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return low(); // 64:ff9b::/96, NAT64
  if (zeroUpTo(6) && g[6] !== 0) return low(); // ::a.b.c.d, IPv4-compatible (not :: or ::1)
  return null;
}

function ipv4Number(a: string): number {
  return a.split(".").reduce((n, part) => n * 256 + Number(part), 0);
}

function inIpv4Range(a: string, base: string, bits: number): boolean {
  const size = 2 ** (32 - bits);
  return Math.floor(ipv4Number(a) / size) === Math.floor(ipv4Number(base) / size);
}

/** IPv4 addresses of cloud metadata services outside 169.254.0.0/16. */
const METADATA_IPV4 = new Set([
  "100.100.100.200", // Alibaba Cloud
  "168.63.129.16", // Azure WireServer
]);
const METADATA_IPV6 = new Set(["fd00:ec2::254"]); // AWS IMDS over IPv6

/**
 * Link-local and cloud metadata addresses (169.254.0.0/16, fe80::/10, fd00:ec2::254, Alibaba's and
 * Azure's): where a VM's instance credentials are served to anyone on the machine.
 */
export function isLinkLocalOrMetadata(canonical: string): boolean {
  if (ipFamily(canonical) === 4) return inIpv4Range(canonical, "169.254.0.0", 16) || METADATA_IPV4.has(canonical);
  const first = expandIpv6(canonical)[0] ?? 0;
  return (first & 0xffc0) === 0xfe80 || METADATA_IPV6.has(canonical);
}

/** Addresses that always mean "this machine": 127.0.0.0/8, 0.0.0.0/8 (Linux connects 0.0.0.0 locally), ::1 and ::. */
export function isThisMachine(canonical: string): boolean {
  if (ipFamily(canonical) === 4) return inIpv4Range(canonical, "127.0.0.0", 8) || inIpv4Range(canonical, "0.0.0.0", 8);
  return canonical === "::1" || canonical === "::";
}
