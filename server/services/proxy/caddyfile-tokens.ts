/** One Caddyfile token with where it sits in the source text, so edits can splice the original bytes. */
export interface CaddyToken {
  /** The value (quotes removed). */
  text: string;
  /** Offsets in the source: [start, end) covers the raw token, quotes included. */
  start: number;
  end: number;
  /** Logical line of its first and last character: a `\` before a newline continues the line, as in Caddy. */
  line: number;
  endLine: number;
  /** 1-based line in the file, for messages. */
  fileLine: number;
  isQuoted: boolean;
}

/**
 * Splits a Caddyfile the way Caddy's lexer (caddyconfig/caddyfile/lexer.go) does: tokens are
 * separated by whitespace; "…" (with \" escapes) and `…` quote; `#` at the start of a token
 * comments out the rest of the line; `\` + newline joins lines. Comments and spacing are not tokens,
 * which is what lets a rewrite leave them untouched.
 */
export function tokenizeCaddyfile(src: string): CaddyToken[] {
  const tokens: CaddyToken[] = [];
  let line = 1;
  let fileLine = 1;
  let i = 0;
  while (i < src.length) {
    const ch = src[i]!;
    if (ch === "\n") {
      line++;
      fileLine++;
      i++;
      continue;
    }
    if (ch === "\\" && src[i + 1] === "\n") {
      fileLine++;
      i += 2;
      continue;
    }
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === "#") {
      while (i < src.length && src[i] !== "\n") i++;
      continue;
    }
    const start = i;
    const startLine = line;
    const startFileLine = fileLine;
    let text = "";
    if (ch === '"' || ch === "`") {
      i++;
      while (i < src.length && src[i] !== ch) {
        if (ch === '"' && src[i] === "\\" && src[i + 1] === '"') {
          text += '"';
          i += 2;
          continue;
        }
        if (src[i] === "\n") {
          line++;
          fileLine++;
        }
        text += src[i];
        i++;
      }
      i++; // closing quote
    } else {
      while (i < src.length && !/\s/.test(src[i]!)) {
        if (src[i] === "\\" && src[i + 1] === "\n") break;
        text += src[i];
        i++;
      }
    }
    tokens.push({
      text,
      start,
      end: Math.min(i, src.length),
      line: startLine,
      endLine: line,
      fileLine: startFileLine,
      isQuoted: ch === '"' || ch === "`",
    });
  }
  return tokens;
}

/** Whether `token` starts a line (nothing before it on its logical line): where Caddy expects a directive. */
export function startsLine(tokens: readonly CaddyToken[], index: number): boolean {
  const prev = tokens[index - 1];
  return !prev || prev.endLine < (tokens[index]?.line ?? 0);
}
