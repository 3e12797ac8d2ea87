import type { LogControl, LogLine } from "./types";

const encoder = new TextEncoder();

/** Lines as NDJSON bytes: one JSON object per line. */
export function encodeLines(lines: readonly LogLine[]): Uint8Array {
  let out = "";
  // Built by hand (only the text needs JSON escaping): this runs for every line of every stream.
  for (const l of lines)
    out += `{"seq":${l.seq},"stream":"${l.stream}"${l.ts === undefined ? "" : `,"ts":${JSON.stringify(l.ts)}`},"text":${JSON.stringify(l.text)}}\n`;
  return encoder.encode(out);
}

export function encodeControl(control: LogControl): Uint8Array {
  return encoder.encode(`${JSON.stringify(control)}\n`);
}

/** How long a follow stream may stay silent before a heartbeat line is sent. */
export const HEARTBEAT_MS = 15_000;
