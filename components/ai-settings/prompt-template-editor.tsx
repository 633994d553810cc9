"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { FormError, errorMessage } from "@/components/ui/form-error";
import { Field, Input, fieldClass } from "@/components/ui/input";
import { useWorkspace } from "@/components/workspace/workspace-context";
import type { TemplateRow } from "./types";

function Placeholders({ template }: { template: TemplateRow }) {
  return (
    <div className="flex flex-wrap items-center gap-1.5 text-xs" data-testid="prompt-placeholders">
      <span className="text-slate-500">Placeholders:</span>
      {template.required.map((p) => (
        <Badge key={p} tone="blue" title="required">
          {`{${p}}`} required
        </Badge>
      ))}
      {template.optional.map((p) => (
        <Badge key={p} title="optional">
          {`{${p}}`} optional
        </Badge>
      ))}
      <span className="text-slate-500">
        · write literal braces as {"{{"} and {"}}"}
      </span>
    </div>
  );
}

/**
 * One template's text: read-only for non-admins; admins save a new version. The server checks
 * the placeholders and its message (naming unknown or missing ones) is shown as is.
 */
export function PromptTemplateEditor({ template, editable }: { template: TemplateRow; editable: boolean }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const save = useMutation(trpc.prompts.save.mutationOptions());
  const [text, setText] = useState(template.text);
  const [note, setNote] = useState("");
  const [error, setError] = useState<string | null>(null);
  const dirty = text !== template.text;

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      await save.mutateAsync({ workspaceId: ws.id, name: template.name, text, note: note.trim() || undefined });
      await queryClient.invalidateQueries({ queryKey: trpc.prompts.pathKey() });
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center gap-2 text-sm">
        {template.overridden ? (
          <Badge tone="green">override, version {template.version}</Badge>
        ) : (
          <Badge>default</Badge>
        )}
        {dirty ? <Badge tone="amber">unsaved changes</Badge> : null}
      </div>
      <Placeholders template={template} />
      <textarea
        aria-label={`${template.name} template text`}
        className={`${fieldClass} min-h-[320px] font-mono text-xs leading-5`}
        value={text}
        onChange={(e) => setText(e.target.value)}
        readOnly={!editable}
        spellCheck={false}
        data-testid="prompt-editor"
      />
      {editable ? (
        <>
          <Field label="Note (optional)" htmlFor="prompt-note">
            <Input
              id="prompt-note"
              value={note}
              maxLength={200}
              onChange={(e) => setNote(e.target.value)}
              data-testid="prompt-note"
            />
          </Field>
          <div className="flex flex-wrap gap-2">
            <Button type="submit" disabled={save.isPending || !dirty} data-testid="prompt-save">
              {save.isPending ? "Saving…" : "Save as new version"}
            </Button>
            <Button
              variant="secondary"
              disabled={!dirty}
              onClick={() => setText(template.text)}
              data-testid="prompt-revert"
            >
              Discard changes
            </Button>
            <Button
              variant="ghost"
              disabled={text === template.defaultText}
              onClick={() => setText(template.defaultText)}
              data-testid="prompt-load-default"
            >
              Load the default text
            </Button>
          </div>
          <FormError message={error} testId="prompt-save-error" />
        </>
      ) : (
        <p className="text-sm text-slate-500" data-testid="prompt-readonly">
          Only admins can change prompt templates.
        </p>
      )}
    </form>
  );
}
