import { formatEta } from "./format";
import type { RunProgress as Progress, RunStatus } from "./types";

/** A progress bar with the stage, percent and ETA; full and coloured by outcome once finished. */
export function RunProgress({
  status,
  progress,
  compact = false,
}: {
  status: RunStatus;
  progress: Progress;
  compact?: boolean;
}) {
  const percent = status === "succeeded" ? 100 : Math.max(0, Math.min(100, progress.percent));
  const eta = status === "running" ? formatEta(progress.etaSeconds) : null;
  const colour =
    status === "failed"
      ? "bg-red-500"
      : status === "cancelled"
        ? "bg-amber-400"
        : status === "succeeded"
          ? "bg-emerald-500"
          : "bg-sky-500";
  return (
    <div
      data-testid="run-progress"
      data-percent={Math.round(percent)}
      data-stage={progress.stage}
      className={compact ? "w-44" : "w-full"}
    >
      <div
        className="h-2 w-full overflow-hidden rounded-full bg-slate-200"
        role="progressbar"
        aria-label={`Run progress: ${progress.stage}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(percent)}
      >
        <div className={`h-full ${colour} transition-[width] duration-300`} style={{ width: `${percent}%` }} />
      </div>
      <div className="mt-1 flex justify-between gap-2 text-xs text-slate-500">
        <span className="truncate" data-testid="run-stage" title={progress.stage}>
          {progress.stage}
        </span>
        <span className="whitespace-nowrap tabular-nums">
          {Math.round(percent)}%{eta ? ` · ${eta}` : ""}
        </span>
      </div>
    </div>
  );
}
