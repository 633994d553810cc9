import { Badge } from "@/components/ui/badge";
import type { RunStatus } from "./types";

const TONE = {
  queued: "neutral",
  running: "blue",
  succeeded: "green",
  failed: "red",
  cancelled: "amber",
} as const satisfies Record<RunStatus, string>;

/** The run's status as a coloured pill (`data-status` carries the raw value for tests). */
export function RunStatusBadge({ status, testId = "run-status" }: { status: RunStatus; testId?: string }) {
  return (
    <Badge tone={TONE[status]} data-testid={testId} data-status={status}>
      {status}
    </Badge>
  );
}
