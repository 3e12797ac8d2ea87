"use client";

import { useVirtualizer } from "@tanstack/react-virtual";
import { type RefObject, useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import { cn } from "@/components/ui/cn";
import type { RingBuffer } from "@/server/services/logs/ring-buffer";
import type { TextMatcher } from "./ansi";
import { LogLineText } from "./log-line";
import type { ViewLine } from "./use-log-stream";

const ROW_PX = 18;
const OVERSCAN = 20;

/** The rows in view (plus overscan) for fixed-height rows: O(rows in view), whatever the count. */
function useFixedRows(scrollRef: RefObject<HTMLDivElement | null>, count: number) {
  const [viewport, setViewport] = useState({ top: 0, height: 800 });
  const read = useCallback(() => {
    const el = scrollRef.current;
    if (el)
      setViewport((v) => (v.top === el.scrollTop && v.height === el.clientHeight ? v : { top: el.scrollTop, height: el.clientHeight }));
  }, [scrollRef]);
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    read();
    const observer = new ResizeObserver(read);
    observer.observe(el);
    return () => observer.disconnect();
  }, [scrollRef, read]);
  const first = Math.max(0, Math.floor(viewport.top / ROW_PX) - OVERSCAN);
  const last = Math.min(count, Math.ceil((viewport.top + viewport.height) / ROW_PX) + OVERSCAN);
  const items: { index: number; key: number | string | bigint; start: number }[] = [];
  for (let i = first; i < last; i++) items.push({ index: i, key: i, start: i * ROW_PX });
  return { items, onScroll: read };
}

export interface LogLinesProps {
  buffer: RingBuffer<ViewLine>;
  /** Changes whenever the buffer's content changed. */
  version: number;
  isWrapped: boolean;
  hasTimestamps: boolean;
  matcher?: TextMatcher;
  /** Called with a function that scrolls to the newest line ("jump to latest"). */
  onJumpReady?: (jump: () => void) => void;
  onStickChange?: (isAtBottom: boolean) => void;
}

/**
 * The virtualised list: only the rows in view (plus a few) are in the DOM, whatever the buffer
 * holds. It sticks to the newest line while the user is at the bottom and stays put otherwise.
 */
export function LogLines({ buffer, version, isWrapped, hasTimestamps, matcher, onJumpReady, onStickChange }: LogLinesProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [isAtBottom, setIsAtBottom] = useState(true);
  const isAtBottomRef = useRef(true);
  const count = buffer.length;
  // Wrapped rows have measured heights (the virtualizer); unwrapped rows are all ROW_PX high, so the
  // window is plain arithmetic: the virtualizer's per-change pass over every row would cost O(lines)
  // per frame at a million lines.
  const virtualizer = useVirtualizer({
    count: isWrapped ? count : 0,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_PX,
    overscan: 20,
    getItemKey: (i) => buffer.at(i)?.id ?? i,
  });
  const { items: fixedItems, onScroll: readViewport } = useFixedRows(scrollRef, isWrapped ? 0 : count);
  const items = isWrapped ? virtualizer.getVirtualItems().map((v) => ({ index: v.index, key: v.key, start: v.start })) : fixedItems;
  const totalSize = isWrapped ? virtualizer.getTotalSize() : count * ROW_PX;

  const jump = useCallback(() => {
    const el = scrollRef.current;
    if (!el) return;
    isAtBottomRef.current = true;
    setIsAtBottom(true);
    el.scrollTop = el.scrollHeight;
    if (isWrapped && buffer.length) virtualizer.scrollToIndex(buffer.length - 1, { align: "end" });
  }, [buffer, virtualizer, isWrapped]);

  useEffect(() => onJumpReady?.(jump), [jump, onJumpReady]);
  useEffect(() => onStickChange?.(isAtBottom), [isAtBottom, onStickChange]);

  useLayoutEffect(() => {
    if (isAtBottomRef.current && count > 0) {
      const el = scrollRef.current;
      if (el) el.scrollTop = el.scrollHeight;
      readViewport();
    }
  }, [version, count, readViewport]);

  const onScroll = () => {
    const el = scrollRef.current;
    if (!el) return;
    readViewport();
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < ROW_PX * 2;
    if (atBottom !== isAtBottomRef.current) {
      isAtBottomRef.current = atBottom;
      setIsAtBottom(atBottom);
    }
  };

  return (
    <div
      ref={scrollRef}
      onScroll={onScroll}
      data-testid="log-scroll"
      className="relative h-full overflow-auto bg-canvas font-mono text-[12px] leading-[18px]"
    >
      <div style={{ height: totalSize, position: "relative", minWidth: "100%" }}>
        {items.map((item) => {
          const line = buffer.at(item.index);
          if (!line) return null;
          return (
            <div
              key={isWrapped ? item.key : line.id}
              data-index={item.index}
              data-seq={line.seq}
              data-stream={line.isErr ? "stderr" : "stdout"}
              data-testid="log-line"
              ref={isWrapped ? virtualizer.measureElement : undefined}
              className={cn(
                "absolute left-0 min-w-full border-l-2 px-2",
                isWrapped ? "w-full whitespace-pre-wrap break-all" : "whitespace-pre",
                line.isErr ? "border-red-500 bg-red-500/5 text-red-700 dark:text-red-300" : "border-transparent text-fg",
              )}
              style={{ transform: `translateY(${item.start}px)`, height: isWrapped ? undefined : ROW_PX }}
            >
              <LogLineText line={line} matcher={matcher} hasTimestamps={hasTimestamps} />
            </div>
          );
        })}
      </div>
    </div>
  );
}
