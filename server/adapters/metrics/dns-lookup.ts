import { Resolver } from "node:dns/promises";
import net from "node:net";

export interface DnsView {
  checked: boolean;
  note: string | null;
  records: string[];
  expected: string;
  matches: boolean | null;
}

/**
 * Does the public domain's A record point at the proxy host? An IP literal needs no DNS; a lookup
 * failure is reported as such (users would not reach the site either).
 */
export async function checkDnsPointsAt(hostname: string, expected: string, timeoutMs = 3_000): Promise<DnsView> {
  if (net.isIP(hostname)) {
    const matches = hostname === expected;
    return {
      checked: false,
      note: `the public URL uses the IP address ${hostname}: no DNS record to check`,
      records: [hostname],
      expected,
      matches,
    };
  }
  const resolver = new Resolver({ timeout: timeoutMs, tries: 1 });
  try {
    const records = await resolver.resolve4(hostname);
    const matches = records.includes(expected);
    return {
      checked: true,
      note: matches ? null : `A record of ${hostname} is ${records.join(", ")}, not the proxy host's ${expected}`,
      records,
      expected,
      matches,
    };
  } catch (err) {
    return {
      checked: true,
      note: `could not resolve ${hostname}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      records: [],
      expected,
      matches: false,
    };
  }
}
