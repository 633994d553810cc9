"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { FormError, errorMessage } from "@/components/ui/form-error";
import { Field, Input } from "@/components/ui/input";
import { formatBarTime, formatDateTime } from "@/components/ui/format-date";
import { Table, Td, Th } from "@/components/ui/table";
import { useWorkspace } from "@/components/workspace/workspace-context";

/** Named symbol lists: demo-500 and sector slices (synthetic), "imported", and the workspace's own lists. */
export function UniversesPanel() {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const universes = useQuery(trpc.data.universes.queryOptions({ workspaceId: ws.id }));
  const save = useMutation(trpc.data.saveUniverse.mutationOptions());
  const remove = useMutation(trpc.data.deleteUniverse.mutationOptions());
  const [name, setName] = useState("");
  const [symbols, setSymbols] = useState("");
  const [error, setError] = useState<string | null>(null);
  const canWrite = ws.can("strategies.write");
  const refresh = () =>
    queryClient.invalidateQueries({ queryKey: trpc.data.universes.queryKey({ workspaceId: ws.id }) });

  async function onCreate(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      await save.mutateAsync({ workspaceId: ws.id, name, symbols: symbols.split(/[\s,;]+/).filter(Boolean) });
      setName("");
      setSymbols("");
      await refresh();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  if (universes.isPending) return <p className="text-sm text-slate-500">Loading universes…</p>;
  if (universes.error) return <FormError message={errorMessage(universes.error)} testId="universes-error" />;
  return (
    <div className="flex flex-col gap-4">
      <Table data-testid="universes-table">
        <thead>
          <tr>
            <Th>Name</Th>
            <Th>Kind</Th>
            <Th className="text-right">Symbols</Th>
            <Th>Members</Th>
            <Th>Bars through</Th>
            <Th>Last updated</Th>
            <Th />
          </tr>
        </thead>
        <tbody>
          {universes.data.map((u) => (
            <tr key={u.name} data-testid="universe-row" data-name={u.name}>
              <Td className="font-medium">{u.name}</Td>
              <Td>
                {u.synthetic ? (
                  <Badge tone="blue">synthetic</Badge>
                ) : (
                  <Badge tone={u.own ? "green" : "neutral"}>
                    {u.name === "imported" ? "imported" : u.own ? "yours" : "shared"}
                  </Badge>
                )}
              </Td>
              <Td className="text-right tabular-nums">{u.symbols.length}</Td>
              <Td className="max-w-md truncate text-slate-500" title={u.symbols.join(", ")}>
                {u.description ?? u.symbols.slice(0, 12).join(", ")}
                {!u.description && u.symbols.length > 12 ? ", …" : ""}
              </Td>
              <Td className="whitespace-nowrap text-slate-500" data-testid="universe-last-bar">
                {u.freshness?.lastBarMs != null ? formatBarTime(u.freshness.lastBarMs) : "—"}
                {u.freshness?.oldestLastBarMs != null && u.freshness.oldestLastBarMs !== u.freshness.lastBarMs ? (
                  <span className="block text-xs text-amber-700" title="The last bar of the symbol furthest behind">
                    oldest {formatBarTime(u.freshness.oldestLastBarMs)}
                  </span>
                ) : null}
                {u.freshness && u.freshness.symbolsWithData < u.symbols.length ? (
                  <span className="block text-xs text-amber-700">
                    {u.freshness.symbolsWithData} of {u.symbols.length} with data
                  </span>
                ) : null}
              </Td>
              <Td
                className="whitespace-nowrap text-slate-500"
                title={
                  u.updatedMs !== undefined ? `Symbol list changed ${formatDateTime(new Date(u.updatedMs))}` : undefined
                }
                data-testid="universe-updated"
              >
                {u.freshness?.lastWriteMs != null
                  ? formatDateTime(new Date(u.freshness.lastWriteMs))
                  : u.updatedMs !== undefined
                    ? formatDateTime(new Date(u.updatedMs))
                    : "—"}
              </Td>
              <Td className="text-right">
                {u.own && canWrite && u.name !== "imported" ? (
                  <ConfirmButton
                    testId="universe-delete"
                    question={`Delete ${u.name}?`}
                    onConfirm={async () => {
                      setError(null);
                      try {
                        await remove.mutateAsync({ workspaceId: ws.id, name: u.name });
                        await refresh();
                      } catch (err) {
                        setError(errorMessage(err));
                      }
                    }}
                  >
                    Delete
                  </ConfirmButton>
                ) : null}
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
      {canWrite ? (
        <form
          onSubmit={onCreate}
          className="grid gap-3 sm:grid-cols-[1fr_2fr_auto] sm:items-end"
          data-testid="universe-form"
        >
          <Field label="New universe" htmlFor="universe-name" hint="lower-case, e.g. my-picks">
            <Input
              id="universe-name"
              value={name}
              onChange={(e) => setName(e.target.value)}
              data-testid="universe-name-input"
            />
          </Field>
          <Field label="Symbols" htmlFor="universe-symbols" hint="separated by spaces or commas; each must have data">
            <Input
              id="universe-symbols"
              value={symbols}
              onChange={(e) => setSymbols(e.target.value.toUpperCase())}
              data-testid="universe-symbols-input"
            />
          </Field>
          <Button type="submit" disabled={save.isPending || !name || !symbols} data-testid="universe-create-button">
            Save
          </Button>
        </form>
      ) : null}
      <FormError message={error} testId="universe-form-error" />
    </div>
  );
}
