"use client";
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { FormError, errorMessage } from "@/components/ui/form-error";
import { Field, Input } from "@/components/ui/input";
import { useWorkspace } from "@/components/workspace/workspace-context";

/** Absolute link for a published report (the server answers a relative one when APP_URL is unset). */
function absolute(url: string): string {
  return url.startsWith("/") ? `${window.location.origin}${url}` : url;
}

/**
 * "Publish report" next to a finished backtest: asks whether to include the strategy code and
 * for an expiry, publishes an immutable snapshot, and shows its unguessable link once (only a
 * hash of the token is stored). Hidden for roles without `reports.publish`.
 */
export function PublishReportButton({ runId, disabled }: { runId: string; disabled?: boolean }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const publish = useMutation(trpc.reports.publish.mutationOptions());
  const [open, setOpen] = useState(false);
  const [includeCode, setIncludeCode] = useState(false);
  const [expires, setExpires] = useState(false);
  const [days, setDays] = useState("30");
  const [link, setLink] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  if (!ws.can("reports.publish")) return null;

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      const res = await publish.mutateAsync({
        workspaceId: ws.id,
        runId,
        includeCode,
        expiresInDays: expires ? Number(days) : undefined,
      });
      setLink(absolute(res.url));
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  async function copy(value: string) {
    await navigator.clipboard.writeText(value).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  }

  function close() {
    setOpen(false);
    setLink(null);
    setError(null);
    setCopied(false);
  }

  if (!open) {
    return (
      <Button variant="secondary" disabled={disabled} onClick={() => setOpen(true)} data-testid="publish-report">
        Publish report
      </Button>
    );
  }
  return (
    <div
      role="dialog"
      aria-modal="false"
      aria-labelledby="publish-report-title"
      className="flex max-w-xl flex-col gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-md"
      data-testid="publish-report-dialog"
    >
      <h3 id="publish-report-title" className="font-semibold">
        Publish a shareable report
      </h3>
      {link ? (
        <div className="flex flex-col gap-2" data-testid="publish-report-created">
          <p className="text-sm text-slate-700">
            Anyone with this link can view the report without an account. Copy it now: it is shown only once. You can
            revoke it on the Reports page.
          </p>
          <div className="flex gap-2">
            <Input
              readOnly
              value={link}
              onFocus={(e) => e.target.select()}
              data-testid="publish-report-link"
              aria-label="Report link"
            />
            <Button variant="secondary" onClick={() => void copy(link)} data-testid="publish-report-copy">
              {copied ? "Copied" : "Copy"}
            </Button>
          </div>
          <Button variant="ghost" onClick={close} data-testid="publish-report-done">
            Done
          </Button>
        </div>
      ) : (
        <form onSubmit={onSubmit} className="flex flex-col gap-3" data-testid="publish-report-form">
          <p className="text-sm text-slate-600">
            The report is a frozen copy of this backtest: equity, drawdown, metrics, trades and grade. Later changes do
            not alter it.
          </p>
          <label className="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              checked={includeCode}
              onChange={(e) => setIncludeCode(e.target.checked)}
              data-testid="publish-report-include-code"
            />
            Include the strategy code
          </label>
          <div className="flex flex-wrap items-end gap-3">
            <label className="flex items-center gap-2 pb-2 text-sm">
              <input
                type="checkbox"
                checked={expires}
                onChange={(e) => setExpires(e.target.checked)}
                data-testid="publish-report-expires"
              />
              Expires
            </label>
            <div className="w-36">
              <Field label="after (days)" htmlFor="publish-report-days">
                <Input
                  id="publish-report-days"
                  type="number"
                  min={1}
                  max={3650}
                  disabled={!expires}
                  value={days}
                  onChange={(e) => setDays(e.target.value)}
                  data-testid="publish-report-days"
                />
              </Field>
            </div>
          </div>
          <FormError message={error} testId="publish-report-error" />
          <div className="flex gap-2">
            <Button type="submit" disabled={publish.isPending} data-testid="publish-report-submit">
              {publish.isPending ? "Publishing…" : "Publish"}
            </Button>
            <Button variant="ghost" onClick={close} data-testid="publish-report-cancel">
              Cancel
            </Button>
          </div>
        </form>
      )}
    </div>
  );
}
