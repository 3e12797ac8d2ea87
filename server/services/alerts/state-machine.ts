/** Per (rule, subject) memory between sweeps. */
export interface AlertState {
  /** Consecutive bad observations. */
  failing: number;
  firing: boolean;
  /** ms epoch of the last notification (fire or repeat). */
  lastNotifiedAt: number | null;
}

export interface RuleTiming {
  /** Bad observations in a row before the alert fires (≥ 1). */
  consecutive: number;
  /** Minutes between reminders while firing; 0 = never repeat. */
  repeatMinutes: number;
}

export type AlertAction = "fire" | "repeat" | "recover" | null;

export const INITIAL_STATE: AlertState = { failing: 0, firing: false, lastNotifiedAt: null };

/**
 * One step of an alert: fire once after `consecutive` bad observations, remind every
 * `repeatMinutes` while it lasts, recover (and say so) on the first good observation.
 */
export function stepAlert(state: AlertState, isBad: boolean, rule: RuleTiming, now: number): { state: AlertState; action: AlertAction } {
  if (!isBad) {
    const next = { failing: 0, firing: false, lastNotifiedAt: null };
    return { state: next, action: state.firing ? "recover" : null };
  }
  const failing = state.failing + 1;
  if (!state.firing) {
    if (failing >= Math.max(1, rule.consecutive)) return { state: { failing, firing: true, lastNotifiedAt: now }, action: "fire" };
    return { state: { ...state, failing }, action: null };
  }
  const due = rule.repeatMinutes > 0 && state.lastNotifiedAt !== null && now - state.lastNotifiedAt >= rule.repeatMinutes * 60_000;
  return { state: { failing, firing: true, lastNotifiedAt: due ? now : state.lastNotifiedAt }, action: due ? "repeat" : null };
}
