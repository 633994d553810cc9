"use client";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Badge } from "@/components/ui/badge";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { EmptyState } from "@/components/ui/empty-state";
import { FormError } from "@/components/ui/form-error";
import { formatDate } from "@/components/ui/format-date";
import { Table, Td, Th } from "@/components/ui/table";
import { useRefreshingAction } from "@/components/workspace/use-refreshing-action";
import { useWorkspace } from "@/components/workspace/workspace-context";

/** A published report as listed (dates serialized by the server page; the token is never stored). */
export interface ReportRow {
  id: string;
  title: string;
  runId: string;
  includeCode: boolean;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

function reportState(r: ReportRow, nowMs: number): "live" | "revoked" | "expired" {
  if (r.revokedAt) return "revoked";
  if (r.expiresAt && Date.parse(r.expiresAt) <= nowMs) return "expired";
  return "live";
}

/** Published reports of the workspace; members who may publish can revoke live ones. */
export function ReportsTable({ reports, nowMs }: { reports: readonly ReportRow[]; nowMs: number }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const revoke = useMutation(trpc.reports.revoke.mutationOptions());
  const { run, error, pending } = useRefreshingAction();
  if (reports.length === 0) {
    return (
      <EmptyState title="No published reports" data-testid="reports-empty">
        Publish one from a finished backtest with “Publish report”.
      </EmptyState>
    );
  }
  return (
    <div className="flex flex-col gap-3">
      <FormError message={error} testId="reports-error" />
      <Table data-testid="reports-table">
        <thead>
          <tr>
            <Th>Title</Th>
            <Th>Code</Th>
            <Th>Published</Th>
            <Th>Expires</Th>
            <Th className="text-right">State</Th>
          </tr>
        </thead>
        <tbody>
          {reports.map((r) => {
            const state = reportState(r, nowMs);
            return (
              <tr key={r.id} data-testid="report-row" data-state={state}>
                <Td className="font-medium">{r.title}</Td>
                <Td className="text-slate-500">{r.includeCode ? "included" : "hidden"}</Td>
                <Td className="text-slate-500">{formatDate(r.createdAt)}</Td>
                <Td className="text-slate-500">{r.expiresAt ? formatDate(r.expiresAt) : "never"}</Td>
                <Td className="text-right">
                  {state === "live" && ws.can("reports.publish") ? (
                    <ConfirmButton
                      testId="report-revoke"
                      question="Revoke? The link stops working at once."
                      confirmLabel="Revoke"
                      disabled={pending}
                      onConfirm={() => void run(() => revoke.mutateAsync({ workspaceId: ws.id, reportId: r.id }))}
                    >
                      Revoke
                    </ConfirmButton>
                  ) : (
                    <Badge
                      tone={state === "live" ? "green" : state === "revoked" ? "red" : "amber"}
                      data-testid="report-state"
                    >
                      {state}
                    </Badge>
                  )}
                </Td>
              </tr>
            );
          })}
        </tbody>
      </Table>
    </div>
  );
}
