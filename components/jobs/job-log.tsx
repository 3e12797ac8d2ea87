"use client";

import { useLayoutEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import type { JobLogEntry, LogLevel } from "@/server/jobs/types";

const LEVEL_CLASSES: Record<LogLevel, string> = {
  info: "text-info",
  warn: "text-warning font-medium",
  error: "text-danger font-medium",
  stdout: "text-fg",
  stderr: "text-warning",
};

/** Distance from the bottom (px) under which the view counts as "at the end" and follows new lines. */
const STICKY_PX = 32;

/**
 * The live job log: monospace, coloured by level, following new lines unless the user scrolled up
 * (then a "Jump to latest" button appears). Only the lines it is given are rendered.
 */
export function JobLog({ lines, hiddenLines, isWaiting }: { lines: JobLogEntry[]; hiddenLines: number; isWaiting: boolean }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [isFollowing, setIsFollowing] = useState(true);

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (el && isFollowing) el.scrollTop = el.scrollHeight;
  }, [lines, isFollowing]);

  function handleScroll() {
    const el = scrollRef.current;
    if (!el) return;
    setIsFollowing(el.scrollHeight - el.scrollTop - el.clientHeight < STICKY_PX);
  }

  return (
    <div className="relative">
      <div
        ref={scrollRef}
        onScroll={handleScroll}
        role="log"
        aria-live="off"
        aria-label="Job log"
        tabIndex={0}
        className="h-[28rem] overflow-auto rounded-b-lg bg-subtle/40 px-3 py-2 font-mono text-xs leading-5"
      >
        {hiddenLines > 0 ? (
          <p className="pb-1 text-muted">… {hiddenLines.toLocaleString()} earlier lines not shown: download the log to read them all.</p>
        ) : null}
        {lines.length === 0 ? <p className="text-muted">{isWaiting ? "Waiting for output…" : "No output."}</p> : null}
        {lines.map((line) => (
          <div key={line.seq} className={cn("whitespace-pre-wrap break-all", LEVEL_CLASSES[line.level])} data-level={line.level}>
            <span className="select-none pr-2 text-muted/70">{formatClock(line.at)}</span>
            {line.text}
          </div>
        ))}
      </div>
      {!isFollowing ? (
        <Button
          type="button"
          size="sm"
          variant="secondary"
          className="absolute right-4 bottom-3 shadow-md"
          onClick={() => setIsFollowing(true)}
        >
          Jump to latest ↓
        </Button>
      ) : null}
    </div>
  );
}

function formatClock(iso: string): string {
  const date = new Date(iso);
  return date.toLocaleTimeString(undefined, { hour12: false, hour: "2-digit", minute: "2-digit", second: "2-digit" });
}
