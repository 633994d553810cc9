"use client";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Card } from "@/components/ui/card";
import { FormError, errorMessage } from "@/components/ui/form-error";
import { useWorkspace } from "@/components/workspace/workspace-context";
import { PromptHistory } from "./prompt-history";
import { PromptTemplateEditor } from "./prompt-template-editor";

/** The five prompt templates: pick one, read or edit its override, see its history. */
export function PromptTemplates() {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const list = useQuery(trpc.prompts.list.queryOptions({ workspaceId: ws.id }));
  const [selected, setSelected] = useState<string>("system");
  const admin = ws.can("settings.manage");

  if (list.isPending) return <p className="text-sm text-slate-500">Loading templates…</p>;
  if (list.error) return <FormError message={errorMessage(list.error)} testId="prompt-list-error" />;
  const template = list.data.find((t) => t.name === selected) ?? list.data[0];
  if (!template) return null;

  return (
    <div className="flex flex-col gap-4" data-testid="prompt-templates">
      <div role="tablist" aria-label="Prompt templates" className="flex flex-wrap gap-2">
        {list.data.map((t) => (
          <button
            key={t.name}
            type="button"
            role="tab"
            aria-selected={t.name === template.name}
            onClick={() => setSelected(t.name)}
            data-testid={`prompt-tab-${t.name}`}
            className={`rounded-md border px-3 py-1.5 text-sm ${t.name === template.name ? "border-slate-900 bg-slate-900 text-white" : "border-slate-300 bg-white hover:bg-slate-100"}`}
          >
            {t.name}
            {t.overridden ? <span className="ml-1 text-xs opacity-75">(v{t.version})</span> : null}
          </button>
        ))}
      </div>
      <Card title={`${template.name} template`} description={template.description}>
        <PromptTemplateEditor key={`${template.name}:${template.version}`} template={template} editable={admin} />
      </Card>
      <Card title="History" description="Every saved version; compare any of them with the default and roll back.">
        <PromptHistory template={template} editable={admin} />
      </Card>
    </div>
  );
}
