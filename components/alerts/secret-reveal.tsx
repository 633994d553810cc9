"use client";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";

/** A new webhook's signing secret: shown once (stored encrypted, never displayed again). */
export function SecretReveal({ secret, onDone }: { secret: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div
      className="flex flex-col gap-2 rounded-md border border-amber-300 bg-amber-50 p-3"
      data-testid="webhook-secret"
      role="status"
    >
      <p className="text-sm font-medium text-amber-900">Copy the signing secret now — it is shown only once.</p>
      <p className="text-xs text-amber-800">
        Each delivery carries <code>X-Lab-Timestamp</code> and{" "}
        <code>X-Lab-Signature: sha256=HMAC-SHA256(secret, &quot;timestamp.body&quot;)</code>. Verify it on your endpoint
        before trusting the body.
      </p>
      <div className="flex gap-2">
        <Input
          readOnly
          value={secret}
          onFocus={(e) => e.target.select()}
          className="font-mono"
          aria-label="Webhook signing secret"
          data-testid="webhook-secret-value"
        />
        <Button
          variant="secondary"
          onClick={() =>
            void navigator.clipboard.writeText(secret).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }
        >
          {copied ? "Copied" : "Copy"}
        </Button>
        <Button variant="ghost" onClick={onDone} data-testid="webhook-secret-done">
          Done
        </Button>
      </div>
    </div>
  );
}
