/** Alert priorities in escalating order, with their badge tones. */
export const PRIORITIES = ["low", "normal", "high", "critical"] as const;
export type Priority = (typeof PRIORITIES)[number];

export const PRIORITY_TONE = {
  low: "neutral",
  normal: "blue",
  high: "amber",
  critical: "red",
} as const satisfies Record<Priority, string>;
