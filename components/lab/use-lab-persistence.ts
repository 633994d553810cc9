"use client";
/**
 * Keeps the Lab restorable: on mount it reads the URL (see lab-url.ts), loads the saved version
 * it names and any unsaved draft (lab-draft.ts), and hands them to the Lab; afterwards it
 * mirrors the Lab's state into the URL (replaceState, no new history entries) and the draft.
 * So Lab → Runs → Back, a reload, and a link sent to a teammate all reopen the same work.
 */
import { useEffect, useRef, useState } from "react";
import { useTRPCClient } from "@/components/providers/trpc-provider";
import { clearLabDraft, readLabDraft, writeLabDraft } from "./lab-draft";
import { formatLabUrl, parseLabUrl, type LabUrlState } from "./lab-url";
import type { ParamSpecJson, ParamValues } from "./types";

export interface LabRestored {
  url: LabUrlState;
  saved: { strategyId: string; version: number; code: string } | null;
  specs: Record<string, ParamSpecJson> | null;
  code: string | null;
  prompt: string | null;
  /** The code comes from an unsaved draft rather than the saved version. */
  fromDraft: boolean;
  incomplete: boolean;
  error: string | null;
}

export interface LabSnapshot {
  saved: { strategyId: string; version: number; code: string } | null;
  runId: string | null;
  prompt: string;
  model: string;
  universe: string;
  from: string;
  to: string;
  params: ParamValues;
  code: string;
  incomplete: boolean;
  busy: boolean;
}

export function useLabPersistence(
  workspaceId: string,
  snapshot: LabSnapshot,
  onRestore: (r: LabRestored) => void,
): { restored: boolean } {
  const client = useTRPCClient();
  const [restored, setRestored] = useState(false);
  const onRestoreRef = useRef(onRestore);
  useEffect(() => {
    onRestoreRef.current = onRestore;
  });

  useEffect(() => {
    let live = true;
    const url = parseLabUrl(window.location.search);
    const finish = (r: Omit<LabRestored, "url">) => {
      if (!live) return;
      onRestoreRef.current({ url, ...r });
      setRestored(true);
    };
    if (!url.strategy) {
      const draft = readLabDraft(workspaceId, null);
      finish({
        saved: null,
        specs: null,
        code: draft?.code ?? null,
        prompt: url.prompt ?? draft?.prompt ?? null,
        fromDraft: Boolean(draft?.code),
        incomplete: draft?.incomplete ?? false,
        error: null,
      });
      return;
    }
    const strategyId = url.strategy;
    client.strategies.get
      .query({ workspaceId, strategyId, version: url.version })
      .then(({ version }) => {
        const draft = readLabDraft(workspaceId, strategyId);
        const useDraft = draft !== null && draft.baseVersion === version.version && draft.code !== version.code;
        const generation = (version.generation ?? {}) as { prompt?: unknown };
        finish({
          saved: { strategyId, version: version.version, code: version.code },
          specs: version.params as Record<string, ParamSpecJson>,
          code: useDraft ? draft.code : version.code,
          prompt:
            url.prompt ??
            (useDraft && draft.prompt
              ? draft.prompt
              : typeof generation.prompt === "string"
                ? generation.prompt
                : null),
          fromDraft: useDraft,
          incomplete: useDraft && draft.incomplete,
          error: null,
        });
      })
      .catch((err: unknown) =>
        finish({
          saved: null,
          specs: null,
          code: null,
          prompt: url.prompt ?? null,
          fromDraft: false,
          incomplete: false,
          error: err instanceof Error ? err.message : String(err),
        }),
      );
    return () => {
      live = false;
    };
    // Once per mount: the URL is read only when the Lab opens.
  }, [client, workspaceId]);

  const s = snapshot;
  const query = formatLabUrl({
    strategy: s.saved?.strategyId,
    version: s.saved?.version,
    run: s.runId ?? undefined,
    prompt: s.prompt || undefined,
    model: s.model || undefined,
    universe: s.universe || undefined,
    from: s.from || undefined,
    to: s.to || undefined,
    params: s.params,
  });
  useEffect(() => {
    if (!restored) return;
    const next = `${window.location.pathname}${query ? `?${query}` : ""}`;
    if (next !== `${window.location.pathname}${window.location.search}`) window.history.replaceState(null, "", next);
  }, [restored, query]);

  const strategyId = s.saved?.strategyId ?? null;
  const savedCode = s.saved?.code ?? null;
  const baseVersion = s.saved?.version ?? null;
  // A new strategy's draft moves to the strategy once it is saved.
  const previousStrategy = useRef(strategyId);
  useEffect(() => {
    if (restored && previousStrategy.current === null && strategyId) clearLabDraft(workspaceId, null);
    previousStrategy.current = strategyId;
  }, [restored, strategyId, workspaceId]);
  useEffect(() => {
    if (!restored || s.busy) return;
    const t = window.setTimeout(() => {
      if (!s.code.trim() || s.code === savedCode) clearLabDraft(workspaceId, strategyId);
      else
        writeLabDraft(workspaceId, strategyId, {
          code: s.code,
          prompt: s.prompt,
          baseVersion,
          incomplete: s.incomplete,
          savedAtMs: Date.now(),
        });
    }, 300);
    return () => window.clearTimeout(t);
  }, [restored, s.busy, s.code, s.prompt, s.incomplete, workspaceId, strategyId, savedCode, baseVersion]);

  return { restored };
}
