// The injection corpus of issue #11 (e2e/9-proofs/02-injection.spec.ts): strings that would do harm if
// any of them reached a shell, a path, a query or a generated config file unescaped. Where a string
// could run something, what it runs creates `/tmp/<marker>` (or carries the marker on its command
// line), so a side effect on a host can be found afterwards: `pxf-inj-<n>-<run>`.

export interface Hostile {
  n: number;
  /** What kind of attack, for the failure report (the value itself can be 100 KB of noise). */
  label: string;
  value: string;
  /** Set when running the string would leave `/tmp/<marker>` behind or show it in a process list. */
  marker?: string;
}

export const MARKER_PREFIX = "pxf-inj-";

type Recipe = [label: string, make: (marker: string) => string, leavesMarker?: boolean];

const RECIPES: Recipe[] = [
  ["$(…) substitution", (m) => `$(touch /tmp/${m})`, true],
  ["backticks", (m) => `\`touch /tmp/${m}\``, true],
  ["; command", (m) => `; touch /tmp/${m}`, true],
  ["| pipe", (m) => `x | touch /tmp/${m}`, true],
  ["&& chain", (m) => `x && touch /tmp/${m}`, true],
  ["newline then command", (m) => `x\ntouch /tmp/${m}`, true],
  ["CRLF then command", (m) => `x\r\ntouch /tmp/${m}`, true],
  ["NUL then command", (m) => `x\u0000touch /tmp/${m}`, true],
  ["single quote break-out", (m) => `'; touch /tmp/${m}; '`, true],
  ["double quote break-out", (m) => `"; touch /tmp/${m}; "`, true],
  ["${IFS} spacing", (m) => `x;touch\${IFS}/tmp/${m}`, true],
  ["ssh option injection", (m) => `-oProxyCommand=touch /tmp/${m}`, true],
  ["option injection", (m) => `--output=/tmp/${m}`, true],
  ["background sleep", (m) => `x; sleep 120 # ${m}`, true],
  ["domain then command", (m) => `example.com; touch /tmp/${m}`, true],
  ["URL with a command in the path", (m) => `https://pxf-inj.invalid/$(touch /tmp/${m})`, true],
  ["URL host with ; and a command", (m) => `https://pxf-inj.invalid;touch${"$"}{IFS}/tmp/${m}`, true],
  ["email with a command", (m) => `$(touch /tmp/${m})@pxf.test`, true],
  ["cron with a command", (m) => `*/5 * * * * touch /tmp/${m}`, true],
  ["cron @reboot", (m) => `@reboot touch /tmp/${m}`, true],
  ["path traversal", () => "../../etc/passwd"],
  ["encoded traversal", () => "..%2f..%2fetc%2fpasswd"],
  ["double-encoded traversal", () => "%2e%2e%2f%2e%2e%2fetc%2fpasswd"],
  ["absolute system file", () => "/etc/passwd"],
  ["the panel's own environment", () => "/proc/self/environ"],
  ["traversal out of /tmp", (m) => `/tmp/${m}/../../etc/shadow`],
  ["SQL: drop table", () => "'; DROP TABLE users; --"],
  ["SQL: always true", () => "' OR '1'='1"],
  ["SQL: double quotes", () => '" OR ""="'],
  ["SQL: comment", () => "admin'/*"],
  ["fullwidth look-alike", () => "ｐｉｘｅｌｆｏｘ"],
  ["Cyrillic look-alike", () => "pіxelfox"],
  ["RTL override", () => "pixelfox\u202Egnp.exe"],
  ["zero-width space", () => "pixel\u200Bfox"],
  ["closing brace", () => "}"],
  ["opening brace", () => "{"],
  ["semicolon", () => ";"],
  ["Caddyfile block injection", (m) => `example.com}\n:80 {\n  respond "pwned ${m}"\n}`],
  ["Caddyfile import", () => "\n}\nimport /etc/passwd"],
  ["nginx directive injection", (m) => `example.com;\n}\nserver { listen 80; return 200 "pwned ${m}"; }`],
  ["URL host with a brace", () => "https://pxf-inj.invalid}"],
  ["URL with credentials", () => "https://user:pass@pxf-inj.invalid/"],
  ["cloud metadata URL", () => "http://169.254.169.254/latest/meta-data/"],
  ["the panel itself", () => `http://[::ffff:127.0.0.1]:${process.env.E2E_PORT ?? 3100}/api/healthz`],
  ["SMTP header injection", (m) => `ops@pxf.test\r\nBcc: ${m}@pxf.test`],
  ["template expression", () => "{{7*7}}${7*7}"],
  ["JNDI lookup", (m) => `\${jndi:ldap://pxf-inj.invalid/${m}}`],
  ["HTML script", (m) => `<script>alert("${m}")</script>`],
  ["terminal escapes", () => "\u001b[2J\u001b[31mred\u001b[0m"],
  ["regex: catastrophic backtracking", () => "(a+)+$"],
  ["regex: huge repetition", () => "a{1000}{1000}"],
  ["regex: unbalanced", () => "(["],
  ["number-ish", () => "-1"],
  ["number-ish: overflow", () => "1e309"],
  ["percent-encoded NUL", () => "%00"],
  ["empty after trim", () => "   "],
  ["100 KB", () => "x".repeat(100 * 1024)],
];

/** The corpus, each string numbered; `run` makes the markers this run's own. */
export function hostileStrings(run: string): Hostile[] {
  return RECIPES.map(([label, make, leavesMarker], i) => {
    const marker = `${MARKER_PREFIX}${i + 1}-${run}`;
    return { n: i + 1, label, value: make(marker), ...(leavesMarker ? { marker } : {}) };
  });
}
