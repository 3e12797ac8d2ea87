"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button, buttonClasses } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { createMatcher } from "./ansi";
import { LogLines } from "./log-lines";
import { LogStreamNotice, NoMatchHint, STATUS_LABELS } from "./log-stream-notice";
import { buildDownloadUrl, buildStreamUrl, isViewComplete, type LogViewParams, readLogViewParams, writeLogViewParams } from "./log-params";
import { LogToolbar } from "./log-toolbar";
import { DEFAULT_CAPACITY, useLogStream, type ViewLine } from "./use-log-stream";

declare global {
  interface Window {
    /** Browser test hook: feeds synthetic lines through the same path as the stream. Harmless. */
    __pxfLogTest?: { append(n: number): void; count(): number; texts(): string[] };
  }
}

/** The container log viewer; every setting lives in the URL so a view can be shared. */
export function LogViewer() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const view = useMemo(() => readLogViewParams(new URLSearchParams(params.toString())), [params]);
  const capacity = Math.max(1_000, Math.min(5_000_000, Number(params.get("capacity")) || DEFAULT_CAPACITY));
  const [isPaused, setIsPaused] = useState(false);
  const [isAtBottom, setIsAtBottom] = useState(true);
  const jumpRef = useRef<() => void>(() => {});
  const streamUrl = buildStreamUrl(view);
  const { buffer, version, held, status, error, notice, append } = useLogStream(streamUrl, { capacity, isPaused });
  const matcher = useMemo(() => createMatcher(view.q, view.isRegex), [view.q, view.isRegex]);

  const update = useCallback(
    (patch: Partial<LogViewParams>) => {
      const next = writeLogViewParams({ ...view, ...patch });
      if (params.get("capacity")) next.set("capacity", params.get("capacity") ?? "");
      router.replace(`${pathname}?${next}`, { scroll: false });
    },
    [view, params, pathname, router],
  );

  useEffect(() => {
    let n = 0;
    window.__pxfLogTest = {
      append(count: number) {
        const lines: Omit<ViewLine, "id">[] = new Array(count);
        for (let i = 0; i < count; i++) {
          n++;
          lines[i] = { seq: n, isErr: n % 10 === 0, text: `test line ${n} \x1b[36mcyan\x1b[0m payload ${"x".repeat(n % 40)}` };
        }
        append(lines);
      },
      count: () => buffer.length,
      texts: () => buffer.toArray().map((l) => l.text),
    };
    return () => void delete window.__pxfLogTest;
  }, [append, buffer]);

  const onJumpReady = useCallback((jump: () => void) => (jumpRef.current = jump), []);
  const download = isViewComplete(view) ? buildDownloadUrl(view, false) : null;
  const downloadGz = isViewComplete(view) ? buildDownloadUrl(view, true) : null;

  return (
    <div className="flex h-[calc(100vh-4rem)] min-h-[560px] flex-col">
      <PageHeader
        title="Logs"
        description="Container output, job logs, the proxy's access log and MySQL's slow log; live or by window, filtered on the server."
        actions={
          <>
            {download ? (
              <a className={buttonClasses({ variant: "secondary" })} href={download} download>
                Download
              </a>
            ) : null}
            {downloadGz ? (
              <a className={buttonClasses({ variant: "ghost" })} href={downloadGz} download>
                Download .gz
              </a>
            ) : null}
          </>
        }
      />
      <Card className="mb-3 p-4">
        <LogToolbar view={view} onChange={update} />
      </Card>
      <LogStreamNotice status={status} error={error} notice={notice} />
      <Card className="flex min-h-0 flex-1 flex-col overflow-hidden">
        <div className="flex flex-wrap items-center gap-3 border-b border-border px-3 py-2 text-sm">
          <Badge
            data-testid="log-status"
            tone={status === "error" ? "danger" : status === "cut-short" ? "warning" : status === "live" ? "success" : "neutral"}
          >
            {STATUS_LABELS[status]}
          </Badge>
          <span data-testid="log-count" className="tabular-nums text-muted">
            {buffer.length.toLocaleString("en-US")} lines
          </span>
          {isPaused ? (
            <span data-testid="log-held" className="tabular-nums text-warning">
              {held.toLocaleString("en-US")} new while paused
            </span>
          ) : null}
          {buffer.dropped ? (
            <span className="text-muted">
              (oldest {buffer.dropped.toLocaleString("en-US")} dropped: buffer holds {capacity.toLocaleString("en-US")})
            </span>
          ) : null}
          <div className="ml-auto flex gap-2">
            <Button size="sm" variant="secondary" onClick={() => setIsPaused((p) => !p)}>
              {isPaused ? "Resume" : "Pause"}
            </Button>
            <Button size="sm" variant={isAtBottom ? "ghost" : "primary"} onClick={() => jumpRef.current()}>
              Jump to latest
            </Button>
          </div>
        </div>
        <div className="relative min-h-0 flex-1">
          {!streamUrl ? (
            <p className="absolute inset-x-0 top-8 text-center text-sm text-muted" data-testid="log-idle-hint">
              Choose a host and a container (or another source) to read its log.
            </p>
          ) : null}
          <NoMatchHint status={status} hasFilter={Boolean(view.q)} isEmpty={buffer.length === 0 && held === 0} />
          <LogLines
            buffer={buffer}
            version={version}
            isWrapped={view.isWrapped}
            hasTimestamps={view.hasTimestamps}
            matcher={matcher}
            onJumpReady={onJumpReady}
            onStickChange={setIsAtBottom}
          />
        </div>
      </Card>
    </div>
  );
}
