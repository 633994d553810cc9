"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { FormError, errorMessage } from "@/components/ui/form-error";
import { Field, Input } from "@/components/ui/input";
import { useWorkspace } from "@/components/workspace/workspace-context";

type Problem = { line: number; column?: string; message: string };

/** `nvda-1999-2014.csv` → `NVDA` (the same rule as the command line). */
function symbolFromFileName(name: string): string {
  const base = name.replace(/\.[^.]+$/, "");
  return (base.split(/[-_ ]/)[0] || base).toUpperCase();
}

/**
 * Upload one CSV of bars (Date/Open/High/Low/Close/Volume, Yahoo exports). The file is read in
 * the browser and sent as text; a rejected file lists every problem by line and nothing is stored.
 */
export function CsvUploadForm() {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const importCsv = useMutation(trpc.data.import.mutationOptions());
  const [file, setFile] = useState<File | null>(null);
  const [symbol, setSymbol] = useState("");
  const [timezone, setTimezone] = useState("");
  const [noHeader, setNoHeader] = useState(false);
  const [problems, setProblems] = useState<Problem[] | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (!ws.can("strategies.write"))
    return <p className="text-sm text-slate-500">Your role can use the data below but not import files.</p>;

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setProblems(null);
    setDone(null);
    if (!file) return setError("Choose a CSV file first.");
    try {
      const csv = await file.text();
      const res = await importCsv.mutateAsync({
        workspaceId: ws.id,
        symbol: symbol || symbolFromFileName(file.name),
        csv,
        timezone: timezone || undefined,
        noHeader: noHeader || undefined,
        fileName: file.name,
      });
      if (!res.ok) {
        setProblems(res.problems);
        return;
      }
      setDone(
        `Imported ${res.symbol}: ${res.bars} bars, ${new Date(res.firstMs).toISOString().slice(0, 10)} … ${new Date(res.lastMs).toISOString().slice(0, 10)}.${res.warnings.length ? ` ${res.warnings.join(" ")}` : ""}`,
      );
      await queryClient.invalidateQueries({ queryKey: trpc.data.pathKey() });
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-4" data-testid="csv-upload-form">
      <div className="grid gap-4 sm:grid-cols-3">
        <Field
          label="CSV file"
          htmlFor="csv-file"
          hint="Date, Open, High, Low, Close, Volume (header detected; Yahoo exports work)."
        >
          <input
            id="csv-file"
            type="file"
            accept=".csv,text/csv,text/plain"
            data-testid="csv-file-input"
            className="text-sm"
            onChange={(e) => {
              const f = e.target.files?.[0] ?? null;
              setFile(f);
              if (f && !symbol) setSymbol(symbolFromFileName(f.name));
            }}
          />
        </Field>
        <Field label="Symbol" htmlFor="csv-symbol" hint="Defaults to the file name.">
          <Input
            id="csv-symbol"
            value={symbol}
            onChange={(e) => setSymbol(e.target.value.toUpperCase())}
            data-testid="csv-symbol-input"
            maxLength={24}
          />
        </Field>
        <Field
          label="Time zone of intraday times"
          htmlFor="csv-tz"
          hint="IANA name, e.g. America/New_York; blank = UTC."
        >
          <Input
            id="csv-tz"
            value={timezone}
            onChange={(e) => setTimezone(e.target.value)}
            data-testid="csv-timezone-input"
          />
        </Field>
      </div>
      <label className="flex items-center gap-2 text-sm">
        <input
          type="checkbox"
          checked={noHeader}
          onChange={(e) => setNoHeader(e.target.checked)}
          data-testid="csv-no-header-checkbox"
        />
        The file has no header row: read its columns as Date, Open, High, Low, Close, Volume, in that order
      </label>
      <div>
        <Button type="submit" disabled={importCsv.isPending} data-testid="csv-import-button">
          {importCsv.isPending ? "Importing…" : "Import"}
        </Button>
      </div>
      <FormError message={error} testId="csv-import-error" />
      {done ? (
        <p className="text-sm text-green-700" data-testid="csv-import-done">
          {done}
        </p>
      ) : null}
      {problems ? (
        <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
          <p className="font-medium">
            The file was rejected with {problems.length} problem{problems.length === 1 ? "" : "s"}; nothing was stored.
          </p>
          <ul className="ml-5 mt-1 max-h-72 list-disc overflow-y-auto" data-testid="csv-problems">
            {problems.map((p, i) => (
              <li key={i} data-testid="csv-problem" data-line={p.line}>
                line {p.line}
                {p.column ? `, column ${p.column}` : ""}: {p.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </form>
  );
}
