"use client";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";

/** A freshly created secret link, shown once, with a copy button. */
export function CopyLink({ link, onDone }: { link: string; onDone: () => void }) {
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);

  async function copy() {
    try {
      await navigator.clipboard.writeText(link);
      setCopied("yes");
    } catch {
      setCopied("failed");
    }
  }

  return (
    <div
      className="flex flex-col gap-2 rounded-md border border-emerald-200 bg-emerald-50 p-3"
      data-testid="invite-created"
    >
      <p className="text-sm text-emerald-900">
        Copy this link now and send it to the person you invite. It is shown only once and works once.
      </p>
      <div className="flex gap-2">
        <Input
          readOnly
          value={link}
          onFocus={(e) => e.target.select()}
          data-testid="invite-link"
          aria-label="Invite link"
        />
        <Button variant="secondary" onClick={() => void copy()} data-testid="invite-copy">
          {copied === "yes" ? "Copied" : "Copy"}
        </Button>
        <Button variant="ghost" onClick={onDone} data-testid="invite-done">
          Done
        </Button>
      </div>
      {copied === "failed" ? (
        <p className="text-xs text-slate-600">
          Your browser blocked the clipboard; select the link and copy it by hand.
        </p>
      ) : null}
    </div>
  );
}
