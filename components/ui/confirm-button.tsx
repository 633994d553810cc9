"use client";
import { useState, type ReactNode } from "react";
import { Button } from "./button";

/**
 * A two-step button: the first click asks, the second does it. No browser dialogs, so it
 * reads well and tests click it like any other control (`<testId>`, `<testId>-confirm`).
 */
export function ConfirmButton({
  children,
  question,
  confirmLabel = "Yes, do it",
  onConfirm,
  disabled,
  testId,
  variant = "danger",
}: {
  children: ReactNode;
  question: ReactNode;
  confirmLabel?: string;
  onConfirm: () => unknown;
  disabled?: boolean;
  testId: string;
  variant?: "danger" | "secondary" | "primary";
}) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <Button
        variant={variant === "danger" ? "secondary" : variant}
        size="sm"
        disabled={disabled}
        onClick={() => setAsking(true)}
        data-testid={testId}
      >
        {children}
      </Button>
    );
  }
  return (
    <span className="inline-flex flex-wrap items-center gap-2 text-sm">
      <span className="text-slate-700">{question}</span>
      <Button
        variant={variant}
        size="sm"
        disabled={disabled}
        onClick={async () => {
          await onConfirm();
          setAsking(false);
        }}
        data-testid={`${testId}-confirm`}
      >
        {confirmLabel}
      </Button>
      <Button variant="ghost" size="sm" onClick={() => setAsking(false)} data-testid={`${testId}-cancel`}>
        Cancel
      </Button>
    </span>
  );
}
