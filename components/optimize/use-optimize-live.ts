"use client";
/**
 * The finished trials of a running study, from the run's server-sent events
 * (`/api/runs/:id/events`: each event carries the trials finished since the previous one).
 * Trials are merged into a map as they arrive and the component re-renders at most once per
 * `throttleMs`, so a fast study does not re-render per trial. A dropped stream reconnects on its
 * own (the browser's EventSource); the trials it sends again are merged, not counted twice.
 */
import { useEffect, useRef, useState } from "react";
import { mergeLiveTrials, type LiveTrial } from "@/lib/optimize/live";

export type LiveStreamState = "connecting" | "live" | "reconnecting" | "ended" | "error";

interface Snapshot {
  trials?: LiveTrial[];
  progress?: { etaSeconds?: number | null };
}

export function useOptimizeLive(runId: string, workspaceId: string, enabled: boolean, throttleMs = 500) {
  const known = useRef(new Map<number, LiveTrial>());
  const [trials, setTrials] = useState<LiveTrial[]>([]);
  /** When the shown trials were received (UTC ms): the ETA is as of then. */
  const [receivedAtMs, setReceivedAtMs] = useState<number | null>(null);
  const [state, setState] = useState<LiveStreamState>("connecting");
  const [serverEta, setServerEta] = useState<number | null>(null);
  useEffect(() => {
    if (!enabled) return;
    const url = `/api/runs/${encodeURIComponent(runId)}/events?workspaceId=${encodeURIComponent(workspaceId)}`;
    const es = new EventSource(url);
    let timer: ReturnType<typeof setTimeout> | null = null;
    const flush = () => {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      setTrials([...known.current.values()]);
      setReceivedAtMs(Date.now());
    };
    const take = (ev: Event): void => {
      let snap: Snapshot;
      try {
        snap = JSON.parse((ev as MessageEvent<string>).data) as Snapshot;
      } catch {
        return;
      }
      setState("live");
      setServerEta(snap.progress?.etaSeconds ?? null);
      if (snap.trials && mergeLiveTrials(known.current, snap.trials) && timer === null)
        timer = setTimeout(flush, throttleMs);
    };
    es.addEventListener("progress", take);
    es.addEventListener("done", (ev) => {
      take(ev);
      es.close();
      flush();
      setState("ended");
    });
    es.addEventListener("error", (ev) => {
      // The server's own `event: error` carries a message and ends the stream; a network error
      // has no data and the browser reconnects by itself.
      if ((ev as MessageEvent).data) {
        es.close();
        setState("error");
      } else setState(es.readyState === EventSource.CLOSED ? "error" : "reconnecting");
    });
    return () => {
      es.close();
      if (timer !== null) clearTimeout(timer);
    };
  }, [runId, workspaceId, enabled, throttleMs]);
  return { trials, receivedAtMs, state, serverEta };
}
