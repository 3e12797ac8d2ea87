import { memo } from "react";
import { cn } from "@/components/ui/cn";
import { parseAnsi, splitMatches, type TextMatcher } from "./ansi";
import type { ViewLine } from "./use-log-stream";

/**
 * One log line: ANSI colours become styled spans and filter matches become <mark>s.
 * Security: the text is only ever rendered as React text nodes, never as HTML.
 */
export const LogLineText = memo(function LogLineText({
  line,
  matcher,
  hasTimestamps,
}: {
  line: ViewLine;
  matcher?: TextMatcher;
  hasTimestamps: boolean;
}) {
  return (
    <>
      {hasTimestamps && line.ts ? <span className="mr-2 select-none text-muted">{line.ts}</span> : null}
      {parseAnsi(line.text).map((seg, i) => (
        <span key={i} style={seg.color ? { color: seg.color } : undefined} className={cn(seg.isBold && "font-bold")}>
          {matcher
            ? splitMatches(seg.text, matcher).map((part, j) =>
                part.isMatch ? (
                  <mark key={j} className="rounded-sm bg-yellow-300/70 text-inherit dark:bg-yellow-500/40">
                    {part.text}
                  </mark>
                ) : (
                  part.text
                ),
              )
            : seg.text}
        </span>
      ))}
    </>
  );
});
