"use client";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";

/** A freshly created API key: shown once, with a copy button and a warning. */
export function KeyReveal({ apiKey, onDone }: { apiKey: string; onDone: () => void }) {
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);

  async function copy() {
    try {
      await navigator.clipboard.writeText(apiKey);
      setCopied("yes");
    } catch {
      setCopied("failed");
    }
  }

  return (
    <div
      className="flex flex-col gap-2 rounded-md border border-amber-300 bg-amber-50 p-3"
      data-testid="api-key-created"
      role="status"
    >
      <p className="text-sm font-medium text-amber-900">
        Copy this key now. It is shown only once; we store only a hash and cannot show it again.
      </p>
      <p className="text-xs text-amber-800">
        Anyone holding it can act on this workspace within its scopes. Keep it in a secret store, never in code.
      </p>
      <div className="flex gap-2">
        <Input
          readOnly
          value={apiKey}
          onFocus={(e) => e.target.select()}
          className="font-mono"
          data-testid="api-key-value"
          aria-label="New API key"
        />
        <Button variant="secondary" onClick={() => void copy()} data-testid="api-key-copy">
          {copied === "yes" ? "Copied" : "Copy"}
        </Button>
        <Button variant="ghost" onClick={onDone} data-testid="api-key-done">
          Done
        </Button>
      </div>
      {copied === "failed" ? (
        <p className="text-xs text-slate-600">
          Your browser blocked the clipboard; select the key and copy it by hand.
        </p>
      ) : null}
    </div>
  );
}
