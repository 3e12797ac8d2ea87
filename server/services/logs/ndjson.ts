import type { LogControl, LogLine } from "./types";

const encoder = new TextEncoder();

/** Lines as NDJSON bytes: one JSON object per line. */
export function encodeLines(lines: readonly LogLine[]): Uint8Array {
  let out = "";
  for (const line of lines) out += `${JSON.stringify(line)}\n`;
  return encoder.encode(out);
}

export function encodeControl(control: LogControl): Uint8Array {
  return encoder.encode(`${JSON.stringify(control)}\n`);
}

/** How long a follow stream may stay silent before a heartbeat line is sent. */
export const HEARTBEAT_MS = 15_000;
