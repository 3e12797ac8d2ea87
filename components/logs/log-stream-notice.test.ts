import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { LogStreamNotice, NoMatchHint, STATUS_LABELS } from "./log-stream-notice";
import { describeStreamEnd } from "./use-log-stream";

const STOPPED = "The filter was stopped after 12,000 lines because it used too much CPU: the results are incomplete.";

describe("how the log viewer reports the end of a filtered stream", () => {
  it("a filter cut short is a warning that the results are incomplete, with the server's message", () => {
    const html = renderToStaticMarkup(createElement(LogStreamNotice, { status: "cut-short", error: STOPPED }));
    expect(html).toContain("The filter was stopped: the results are incomplete");
    expect(html).toContain("after 12,000 lines");
    expect(html).toContain('role="alert"');
    expect(STATUS_LABELS["cut-short"]).toBe("incomplete");
  });

  it("never shows 'no line matches' for a filter cut short, only for a window that ended", () => {
    const hint = (status: "ended" | "cut-short") =>
      renderToStaticMarkup(createElement(NoMatchHint, { status, hasFilter: true, isEmpty: true }));
    expect(hint("ended")).toContain("No line matches the filter");
    expect(hint("cut-short")).toBe("");
    expect(renderToStaticMarkup(createElement(NoMatchHint, { status: "ended", hasFilter: false, isEmpty: true }))).toBe("");
  });

  it("a broken stream is an error", () => {
    const html = renderToStaticMarkup(createElement(LogStreamNotice, { status: "error", error: "The log stream broke: EPIPE" }));
    expect(html).toContain("The log could not be read");
    expect(html).toContain("EPIPE");
  });
});

describe("describeStreamEnd", () => {
  it("reads FILTER_BUDGET as a filter cut short, any other error as an error, end as ended", () => {
    expect(describeStreamEnd({ event: "error", code: "FILTER_BUDGET", message: STOPPED })).toEqual({ status: "cut-short", error: STOPPED });
    expect(describeStreamEnd({ event: "error", message: "The log stream broke: EPIPE" })).toEqual({
      status: "error",
      error: "The log stream broke: EPIPE",
    });
    expect(describeStreamEnd({ event: "end" })).toEqual({ status: "ended", error: null });
    expect(describeStreamEnd({ event: "heartbeat" })).toBeUndefined();
  });
});
