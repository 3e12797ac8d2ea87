/** Which output a log line came from; Docker multiplexes both on one connection. */
export type LogStreamName = "stdout" | "stderr";

/** One line as the panel's log stream sends it (NDJSON, one object per line). */
export interface LogLine {
  /** 1-based position in this stream (shared by every viewer of a shared stream). */
  seq: number;
  stream: LogStreamName;
  /** RFC 3339 timestamp from Docker, when timestamps were asked for. */
  ts?: string;
  text: string;
}

/**
 * A control message on the same NDJSON stream: the end of the log, why it stopped, or a heartbeat
 * sent on a quiet follow stream (keeps idle proxies from cutting it; viewers ignore it).
 */
export interface LogControl {
  /** `notice`: the stream goes on (e.g. reconnecting after a lost connection); `end` and `error` close it. */
  event: "end" | "error" | "heartbeat" | "notice";
  /** On an error: FILTER_BUDGET when the filter was stopped and the results are incomplete. */
  code?: typeof FILTER_BUDGET;
  message?: string;
}

/** The error code of a stream whose filter used its CPU budget: what was sent is only part of the matches. */
export const FILTER_BUDGET = "FILTER_BUDGET";
