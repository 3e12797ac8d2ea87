import type { BrowserContext } from "@playwright/test";

/** A control line of the panel's NDJSON log stream (end, error; heartbeats are not kept). */
export interface StreamControl {
  event: string;
  code?: string;
  message?: string;
}

/** One log stream held open by the test, as a script or a second browser tab would hold it. */
export interface HeldLogStream {
  readonly url: string;
  readonly status: number;
  /** The panel's error message when it refused the stream (`error.message` of the JSON body), else null. */
  readonly refusal: string | null;
  /** Log lines received so far. */
  count: number;
  /** Lines the caller's `isExpected` said should not have come. */
  unexpected: number;
  /** The last few texts, for a failure message. */
  lastTexts: string[];
  /** The control line that ended the stream (`end`, or an `error` with its code), if one came. */
  end: StreamControl | null;
  /** The body is over: ended by the panel (with or without a control line), or closed by the test. */
  isClosed: boolean;
  /** Aborts the request (the panel sees the client go away) and waits for the reader to stop. */
  close(): Promise<void>;
}

/** The browser context's cookies as one Cookie header, to act as its signed-in user from Node. */
export async function cookieHeader(context: BrowserContext): Promise<string> {
  return (await context.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
}

/**
 * Opens `url` (an /api/logs/stream URL, absolute) with the given session cookie and keeps reading it in
 * the background until the panel ends it or `close()` is called. Only counts and the last few texts are
 * kept, so a busy stream costs no memory.
 */
export async function openLogStream(
  url: string,
  cookie: string,
  isExpected: (text: string) => boolean = () => true,
): Promise<HeldLogStream> {
  const abort = new AbortController();
  const res = await fetch(url, { headers: { cookie, accept: "application/x-ndjson" }, signal: abort.signal });
  const held: HeldLogStream = {
    url,
    status: res.status,
    refusal: null,
    count: 0,
    unexpected: 0,
    lastTexts: [],
    end: null,
    isClosed: false,
    close: async () => undefined,
  };
  if (!res.ok || !res.body) {
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    return { ...held, refusal: body?.error?.message ?? `HTTP ${res.status}`, isClosed: true };
  }
  const reading = readLines(res.body, held, isExpected)
    .catch(() => undefined)
    .finally(() => (held.isClosed = true));
  held.close = async () => {
    abort.abort();
    await reading;
  };
  return held;
}

async function readLines(body: ReadableStream<Uint8Array>, held: HeldLogStream, isExpected: (text: string) => boolean): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let rest = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    const parts = (rest + decoder.decode(value, { stream: true })).split("\n");
    rest = parts.pop() ?? "";
    for (const part of parts) {
      if (!part) continue;
      const msg = JSON.parse(part) as { text?: string } & Partial<StreamControl>;
      if (msg.event === "heartbeat") continue;
      if (msg.event) {
        held.end = { event: msg.event, code: msg.code, message: msg.message };
        continue;
      }
      const text = msg.text ?? "";
      held.count++;
      if (!isExpected(text)) held.unexpected++;
      held.lastTexts = [...held.lastTexts.slice(-4), text.length > 80 ? `${text.slice(0, 80)}…(${text.length} chars)` : text];
    }
  }
}

/** True when the stream ended without saying why: neither an end line nor an error line came. */
export function endedSilently(s: HeldLogStream): boolean {
  return s.isClosed && s.end === null;
}
