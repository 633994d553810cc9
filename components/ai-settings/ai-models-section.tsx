"use client";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Card } from "@/components/ui/card";
import { FormError, errorMessage } from "@/components/ui/form-error";
import { useWorkspace } from "@/components/workspace/workspace-context";
import { ModelsList } from "./models-list";
import { ProviderKeyForm } from "./provider-key-form";
import { ProviderKeysTable } from "./provider-keys-table";

/** Models & keys: the picker's models for everyone; stored keys and the key form for admins. */
export function AiModelsSection() {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const models = useQuery(trpc.providers.models.queryOptions({ workspaceId: ws.id }));
  const admin = ws.can("settings.manage");
  return (
    <>
      <Card
        title="Models"
        description="What the Lab's model picker offers in this workspace. A workspace key replaces the server's key for the same provider."
      >
        {models.isPending ? <p className="text-sm text-slate-500">Loading models…</p> : null}
        {models.error ? <FormError message={errorMessage(models.error)} testId="ai-models-error" /> : null}
        {models.data ? <ModelsList models={models.data.models} defaultModel={models.data.defaultModel} /> : null}
      </Card>
      {admin ? (
        <Card
          title="Workspace provider keys"
          description="Keys are encrypted at rest and never sent back to the browser; you see their last characters only."
        >
          <div className="flex flex-col gap-6">
            <ProviderKeysTable />
            <div className="border-t border-slate-100 pt-4">
              <h3 className="mb-3 text-sm font-semibold">Store a key</h3>
              <ProviderKeyForm />
            </div>
          </div>
        </Card>
      ) : (
        <p className="text-sm text-slate-500" data-testid="ai-keys-readonly">
          Only admins can store or remove provider keys.
        </p>
      )}
    </>
  );
}
