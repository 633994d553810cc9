"use client";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/form-error";
import { useWorkspace } from "@/components/workspace/workspace-context";
import { RunsFilters, type RunsFilter } from "./runs-filters";
import { RunsTable } from "./runs-table";
import { useRunsList } from "./use-runs-list";

/** The workspace's runs with kind/status filters and keyset paging ("Older" / "Newest"). */
export function RunsList() {
  const ws = useWorkspace();
  const [filter, setFilter] = useState<RunsFilter>({});
  const [cursors, setCursors] = useState<string[]>([]);
  const before = cursors[cursors.length - 1];
  const list = useRunsList({ ...filter, before });
  const change = (next: RunsFilter) => {
    setFilter(next);
    setCursors([]);
  };
  const nextCursor = list.data?.nextCursor ?? null;
  return (
    <div className="flex flex-col gap-4" data-testid="runs-list">
      <RunsFilters value={filter} onChange={change} />
      <FormError message={list.error?.message} />
      {list.isPending ? (
        <p className="text-sm text-slate-500">Loading runs…</p>
      ) : list.data ? (
        <RunsTable
          rows={list.data.rows}
          slug={ws.slug}
          nowMs={list.dataUpdatedAt || Date.now()}
          emptyText={filter.kind || filter.status ? "No runs match these filters." : "No runs yet."}
        />
      ) : null}
      <div className="flex gap-2">
        {cursors.length > 0 ? (
          <Button variant="secondary" size="sm" onClick={() => setCursors([])} data-testid="runs-newest">
            Newest
          </Button>
        ) : null}
        {nextCursor ? (
          <Button
            variant="secondary"
            size="sm"
            onClick={() => setCursors((c) => [...c, nextCursor])}
            data-testid="runs-older"
          >
            Older
          </Button>
        ) : null}
      </div>
    </div>
  );
}
