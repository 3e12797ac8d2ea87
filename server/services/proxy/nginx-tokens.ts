/** One token of an Nginx config with its place in the source, so edits can splice the original bytes. */
export interface NginxToken {
  /** A word's value (quotes removed), or ";", "{", "}". */
  text: string;
  kind: "word" | ";" | "{" | "}";
  /** [start, end) of the raw token in the source, quotes included. */
  start: number;
  end: number;
  line: number;
}

/** A directive: its name, its arguments, and whether it ends with `;` or opens a block. */
export interface NginxDirective {
  name: NginxToken;
  args: NginxToken[];
  isBlock: boolean;
  /** 0 at the top of the file (for a site included from `http {}`, that is http level). */
  depth: number;
  /** Names of the enclosing blocks, outermost first ("server", "location"). */
  parents: string[];
  /** The block directive this one sits in, or null at the top. */
  parent: NginxDirective | null;
}

/**
 * Splits an Nginx config as nginx's own reader does (ngx_conf_read_token): whitespace separates
 * words; `;`, `{` and `}` end them; "…" and '…' quote with `\` escapes; `#` at the start of a word
 * comments out the rest of the line; `${name}` stays inside its word.
 */
export function tokenizeNginx(src: string): NginxToken[] {
  const tokens: NginxToken[] = [];
  let line = 1;
  let i = 0;
  while (i < src.length) {
    const ch = src[i]!;
    if (ch === "\n") line++;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === "#") {
      while (i < src.length && src[i] !== "\n") i++;
      continue;
    }
    if (ch === ";" || ch === "{" || ch === "}") {
      tokens.push({ text: ch, kind: ch, start: i, end: i + 1, line });
      i++;
      continue;
    }
    const start = i;
    const startLine = line;
    let text = "";
    if (ch === '"' || ch === "'") {
      i++;
      while (i < src.length && src[i] !== ch) {
        if (src[i] === "\\" && i + 1 < src.length) i++;
        if (src[i] === "\n") line++;
        text += src[i];
        i++;
      }
      i++;
    } else {
      while (i < src.length && !/[\s;{}]/.test(src[i]!)) {
        if (src[i] === "$" && src[i + 1] === "{") {
          const close = src.indexOf("}", i);
          const stop = close < 0 ? src.length : close + 1;
          text += src.slice(i, stop);
          i = stop;
          continue;
        }
        text += src[i];
        i++;
      }
    }
    tokens.push({ text, kind: "word", start, end: Math.min(i, src.length), line: startLine });
  }
  return tokens;
}

/** Every directive of the config, in order, with its nesting. */
export function parseNginxDirectives(src: string): NginxDirective[] {
  const directives: NginxDirective[] = [];
  const stack: NginxDirective[] = [];
  let words: NginxToken[] = [];
  for (const token of tokenizeNginx(src)) {
    if (token.kind === "word") {
      words.push(token);
      continue;
    }
    const [name, ...args] = words;
    words = [];
    if (token.kind === "}") {
      stack.pop();
      continue;
    }
    if (!name) continue;
    const directive: NginxDirective = {
      name,
      args,
      isBlock: token.kind === "{",
      depth: stack.length,
      parents: stack.map((d) => d.name.text),
      parent: stack.at(-1) ?? null,
    };
    directives.push(directive);
    if (directive.isBlock) stack.push(directive);
  }
  return directives;
}
