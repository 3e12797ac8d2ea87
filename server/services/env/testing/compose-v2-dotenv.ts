/**
 * Test oracle: how docker compose v2 reads a .env (`--env-file`, `env_file:`), for the one-line forms
 * formatEnv writes. No compose v2 binary can be installed here, so these are its dotenv parser's rules
 * (compose-go, dotenv/parser.go), restated:
 * - `export ` is dropped; the key ends at `=` or `:`.
 * - bare: cut at " #", trailing blanks trimmed, then `$` interpolation.
 * - single quotes: kept literally, except that a `\` before the quote escapes it (and is dropped).
 * - double quotes: the same scan, then the escapes \a \b \c \f \n \r \t \v \" \\ \0NNN, `\$` meaning a
 *   literal `$`, then `$` interpolation.
 * Interpolation here knows no variables (`$$` is `$`, `$X` and `${X}` are empty): the file under test
 * must not rely on any. A quote left open on its line throws (compose would read on into the next).
 */
export function readLikeComposeV2(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split("\n")) {
    const line = raw.replace(/^\s+/, "");
    if (!line || line.startsWith("#")) continue;
    const m = /^(?:export\s+)?([\w.[\]-]+)\s*[=:][ \t]*/.exec(line);
    if (!m) throw new Error(`compose v2 would reject the line ${JSON.stringify(raw)}`);
    const rest = line.slice(m[0].length);
    out[m[1]!] = rest[0] === "'" || rest[0] === '"' ? quoted(rest) : interpolate(rest.split(" #")[0]!.trimEnd());
  }
  return out;
}

function quoted(rest: string): string {
  const quote = rest[0];
  let chars = "";
  let escaped = false;
  for (const c of rest.slice(1)) {
    if (c === quote && !escaped) return quote === '"' ? interpolate(unescape(chars)) : chars;
    if (c === quote) chars += c;
    else if (escaped) chars += `\\${c}`;
    else if (c === "\\") {
      escaped = true;
      continue;
    } else chars += c;
    escaped = false;
  }
  throw new Error(`unterminated quoted value ${rest}`);
}

const ESCAPES: Record<string, string> = { a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", '"': '"', "\\": "\\" };

function unescape(s: string): string {
  return s.replace(/\\(?:[abcfnrtv$"\\]|0\d{0,3})/g, (m) => {
    if (m === "\\$") return "$$";
    if (m.startsWith("\\0")) return String.fromCharCode(parseInt(m.slice(2) || "0", 8));
    return ESCAPES[m[1]!] ?? m;
  });
}

function interpolate(s: string): string {
  return s.replace(/\$(\$|\{[^}]*\}|[A-Za-z_][A-Za-z0-9_]*|)/g, (_m, what: string) => {
    if (what === "$") return "$";
    if (what === "") throw new Error(`compose v2 would reject a lone $ in ${s}`);
    return "";
  });
}
