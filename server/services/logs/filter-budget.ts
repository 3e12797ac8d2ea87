import { FILTER_BUDGET } from "./types";

/** Matching time a stream's filter may use in one go (a long tail, a burst of lines). */
export const FILTER_BURST_MS = 500;
/** Matching time a stream's filter may use per second, sustained: a tenth of the panel's one JavaScript thread. */
export const FILTER_MS_PER_SECOND = 100;
/** The same for all streams' filters together, so twenty streams cannot take the thread either. */
export const PANEL_FILTER_BURST_MS = 1_000;
export const PANEL_FILTER_MS_PER_SECOND = 250;

export interface FilterBudgetOptions {
  burstMs?: number;
  msPerSecond?: number;
}

/**
 * A token bucket of matching time: full at `burstMs`, refilled at `msPerSecond`. The time charged is
 * measured around the synchronous matching itself, which is what holds up every other request.
 */
export class FilterBudget {
  readonly burstMs: number;
  readonly msPerSecond: number;
  private left: number;
  private refilledAt: number | undefined;

  constructor(options: FilterBudgetOptions = {}) {
    this.burstMs = options.burstMs ?? FILTER_BURST_MS;
    this.msPerSecond = options.msPerSecond ?? FILTER_MS_PER_SECOND;
    this.left = this.burstMs;
  }

  /** Charges `ms` of matching that ended at `now` (ms); false once the budget is spent. */
  spend(ms: number, now: number): boolean {
    // A clock that went back (another clock's time) refills nothing instead of draining the bucket.
    const elapsed = this.refilledAt === undefined ? 0 : Math.max(0, now - this.refilledAt);
    this.left = Math.min(this.burstMs, this.left + (elapsed * this.msPerSecond) / 1000) - ms;
    this.refilledAt = now;
    return this.left > 0;
  }
}

/** Shared by every stream's filter in this process. */
export const panelFilterBudget = new FilterBudget({ burstMs: PANEL_FILTER_BURST_MS, msPerSecond: PANEL_FILTER_MS_PER_SECOND });

/** A filter stopped by a budget: the stream ends with this message instead of looking like "no matches". */
export class FilterBudgetError extends Error {
  readonly code = FILTER_BUDGET;

  constructor(
    /** Lines checked by this stream's filter, this batch included. */
    readonly linesChecked: number,
    /** Answers for this batch's lines up to the one that spent the budget. */
    readonly matches: readonly boolean[],
    spent: FilterBudget,
    isPanelBudget: boolean,
  ) {
    const who = isPanelBudget ? "the panel's log filters together used" : "it used";
    super(
      `The filter was stopped after ${linesChecked.toLocaleString("en-US")} lines because ${who} too much CPU ` +
        `(more than ${spent.burstMs} ms at once, or ${spent.msPerSecond} ms per second): the results are incomplete. ` +
        "Use a simpler regular expression, a plain-text filter, or a smaller window (tail, since, until), or try again in a minute.",
    );
    this.name = "FilterBudgetError";
  }
}
