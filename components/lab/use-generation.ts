"use client";
/**
 * Runs the server's generation pipeline (tRPC subscription) and folds its events into state
 * the Lab renders. `stop()` unsubscribes, which aborts the model call on the server.
 */
import { useCallback, useRef, useState } from "react";
import { useTRPCClient } from "@/components/providers/trpc-provider";
import type { CodeProblem, GenerationEvent } from "./types";

type ContextEvent = Extract<GenerationEvent, { type: "context" }>;
type ValidationEvent = Extract<GenerationEvent, { type: "validation" }>;
type ErrorEvent = Extract<GenerationEvent, { type: "error" }>;
type PlanEvent = Extract<GenerationEvent, { type: "plan" }>;
type FaithfulnessEvent = Extract<GenerationEvent, { type: "faithfulness" }>;

export interface GenerationState {
  running: boolean;
  code: string;
  /** Number of code updates received (the editor grows with each). */
  updates: number;
  stage: string | null;
  message: string | null;
  model: { id: string; label: string; offline: boolean } | null;
  context: ContextEvent | null;
  /** The rules the code was written from, and what was not understood. */
  plan: PlanEvent | null;
  /** The code compared bar by bar with those rules. */
  faithfulness: FaithfulnessEvent | null;
  validation: ValidationEvent | null;
  log: string[];
  usage: { inputTokens: number; outputTokens: number; totalTokens: number } | null;
  saved: { strategyId: string; version: number; name: string } | null;
  error: ErrorEvent | null;
  /** Stopped before the pipeline finished: `code` is exactly what had arrived, not validated. */
  incomplete: boolean;
}

const initial: GenerationState = {
  running: false,
  code: "",
  updates: 0,
  stage: null,
  message: null,
  model: null,
  context: null,
  plan: null,
  faithfulness: null,
  validation: null,
  log: [],
  usage: null,
  saved: null,
  error: null,
  incomplete: false,
};

function reduce(s: GenerationState, e: GenerationEvent): GenerationState {
  switch (e.type) {
    case "status":
      return { ...s, stage: e.stage, message: e.message, model: e.model ?? s.model, log: [...s.log, e.message] };
    case "context":
      return { ...s, context: e };
    case "plan":
      return { ...s, plan: e };
    case "faithfulness":
      return { ...s, faithfulness: e, log: [...s.log, e.message] };
    case "code-reset":
      return {
        ...s,
        code: e.code,
        updates: s.updates + 1,
        validation: e.code === "" ? null : s.validation,
        faithfulness: e.code === "" ? null : s.faithfulness,
      };
    case "code-delta":
      return { ...s, code: s.code + e.delta, updates: s.updates + 1 };
    case "validation":
      return {
        ...s,
        validation: e,
        log: [...s.log, e.ok ? "Validation passed." : `Validation failed: ${e.errors[0]?.message ?? ""}`],
      };
    case "repair":
      return {
        ...s,
        log: [
          ...s.log,
          `Sending ${e.errors.length} problem(s) back to the model (attempt ${e.attempt} of ${e.maxAttempts}).`,
        ],
      };
    case "usage":
      return { ...s, usage: { inputTokens: e.inputTokens, outputTokens: e.outputTokens, totalTokens: e.totalTokens } };
    case "saved":
      return { ...s, saved: { strategyId: e.strategyId, version: e.version, name: e.name } };
    case "done":
      return { ...s, code: e.code, running: false };
    case "error":
      return { ...s, error: e, running: false, message: e.message };
  }
}

export interface GenerateRequest {
  workspaceId: string;
  request: string;
  model?: string;
  universe?: string;
  strategyId?: string;
}

export function useGeneration(onFinished?: (s: GenerationState) => void) {
  const client = useTRPCClient();
  const [state, setState] = useState<GenerationState>(initial);
  const sub = useRef<{ unsubscribe(): void } | null>(null);
  const latest = useRef(state);
  const active = useRef<object | null>(null);

  const apply = useCallback((next: GenerationState) => {
    latest.current = next;
    setState(next);
  }, []);

  // Events are applied only from the current subscription: a stopped or replaced one may still
  // deliver (or complete) after it was let go, and must not touch the state.
  const start = useCallback(
    (input: GenerateRequest) => {
      sub.current?.unsubscribe();
      const token = {};
      active.current = token;
      apply({ ...initial, running: true, stage: "context", message: "Starting…" });
      const current = () => active.current === token;
      sub.current = client.generation.generate.subscribe(input, {
        onData: (event) => {
          if (!current()) return;
          const next = reduce(latest.current, event as GenerationEvent);
          apply(next);
          if (event.type === "done" || event.type === "error") onFinished?.(next);
        },
        onError: (err) => {
          if (current())
            apply({
              ...latest.current,
              running: false,
              error: { type: "error", code: "FAILED", message: err.message, retryable: true, retryAfterSeconds: null },
            });
        },
        onComplete: () => {
          if (current()) apply({ ...latest.current, running: false });
        },
      });
    },
    [client, apply, onFinished],
  );

  const stop = useCallback(() => {
    const s = latest.current;
    active.current = null;
    sub.current?.unsubscribe();
    sub.current = null;
    if (!s.running) return;
    apply({
      ...s,
      running: false,
      incomplete: s.code.length > 0,
      stage: "stopped",
      message: "Stopped.",
      error: {
        type: "error",
        code: "ABORTED",
        message: "Generation stopped.",
        retryable: true,
        retryAfterSeconds: null,
      },
    });
  }, [apply]);

  /** Hand edits. Ignored while a generation streams (the editor is read-only then). */
  const setCode = useCallback(
    (code: string) => {
      if (latest.current.running || code === latest.current.code) return;
      apply({ ...latest.current, code });
    },
    [apply],
  );
  /** Reopens saved or drafted work (not a generation: nothing streams). */
  const restore = useCallback(
    (code: string, incomplete: boolean) => {
      if (latest.current.running) return;
      apply({ ...latest.current, code, incomplete });
    },
    [apply],
  );
  /** Shows the result of validating hand-edited code like a pipeline validation. */
  const applyValidation = useCallback(
    (v: {
      ok: boolean;
      errors: CodeProblem[];
      warnings: string[];
      dryRun: ValidationEvent["dryRun"];
      params: Record<string, unknown> | null;
    }) => apply({ ...latest.current, validation: { type: "validation", attempt: 0, ...v } }),
    [apply],
  );
  const problems: CodeProblem[] = state.validation && !state.validation.ok ? state.validation.errors : [];
  return { state, start, stop, setCode, restore, applyValidation, problems };
}
