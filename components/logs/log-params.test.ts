import { describe, expect, it } from "vitest";
import { buildDownloadUrl, buildStreamUrl, readLogViewParams, writeLogViewParams } from "./log-params";

const read = (qs: string) => readLogViewParams(new URLSearchParams(qs));

describe("log view params per source", () => {
  it("reads /logs?job=<id> as the job source and streams it from the job store", () => {
    const view = read("job=cmx02xp44&q=warn");
    expect(view.source).toBe("job");
    expect(buildStreamUrl(view)).toBe(
      "/api/logs/stream?source=job&job=cmx02xp44&tail=1000&follow=1&regex=0&stdout=1&stderr=1&timestamps=0&q=warn",
    );
    expect(buildDownloadUrl(view, false)).toBe("/api/jobs/cmx02xp44/log");
    expect(buildDownloadUrl(view, true)).toBeNull();
    expect(writeLogViewParams(view).toString()).toBe("job=cmx02xp44&q=warn");
  });

  it("keeps the proxy source in the stream URL and the shared link; the slow log has no download", () => {
    const proxy = read("source=proxy&host=app&container=pxlfox-proxy&follow=1");
    expect(buildStreamUrl(proxy)).toContain("source=proxy");
    expect(writeLogViewParams(proxy).toString()).toBe("source=proxy&host=app&container=pxlfox-proxy");
    const slow = read("source=mysql-slow&host=db&container=pxlfox-db&tail=50");
    expect(buildStreamUrl(slow)).toBe("/api/logs/stream?source=mysql-slow&host=db&container=pxlfox-db&tail=50&follow=1&regex=0");
    expect(buildDownloadUrl(slow, false)).toBeNull();
  });

  it("falls back to the container source for an unknown one, and waits for a job id", () => {
    expect(read("source=nope&host=a&container=b").source).toBe("container");
    expect(buildStreamUrl(read("source=job"))).toBeNull();
  });
});
