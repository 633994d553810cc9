/**
 * Strategy lifecycle as an explicit state table: CANDIDATE → SHADOW (forward test on new data)
 * → LIVE → DISABLED. An illegal transition throws. The UI and the server both import this.
 */
export const STRATEGY_STATES = ["CANDIDATE", "SHADOW", "LIVE", "DISABLED"] as const;
export type StrategyState = (typeof STRATEGY_STATES)[number];

export const STRATEGY_EVENTS = ["start_shadow", "promote", "disable", "reactivate"] as const;
export type StrategyEvent = (typeof STRATEGY_EVENTS)[number];

const TABLE: Record<StrategyState, Partial<Record<StrategyEvent, StrategyState>>> = {
  CANDIDATE: { start_shadow: "SHADOW", disable: "DISABLED" },
  SHADOW: { promote: "LIVE", disable: "DISABLED" },
  LIVE: { disable: "DISABLED" },
  DISABLED: { reactivate: "CANDIDATE" },
};

export class IllegalTransitionError extends Error {
  constructor(
    readonly from: StrategyState,
    readonly event: StrategyEvent,
  ) {
    super(`A ${from} strategy cannot ${event.replace("_", " ")}.`);
    this.name = "IllegalTransitionError";
  }
}

/** The state after `event`, or throws {@link IllegalTransitionError}. */
export function transition(from: StrategyState, event: StrategyEvent): StrategyState {
  const to = TABLE[from][event];
  if (!to) throw new IllegalTransitionError(from, event);
  return to;
}

/** Events allowed from a state (for buttons). */
export function allowedEvents(from: StrategyState): StrategyEvent[] {
  return Object.keys(TABLE[from]) as StrategyEvent[];
}
