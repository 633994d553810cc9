import type { Metadata } from "next";
import Link from "next/link";
import { ApiKeysTable } from "@/components/api-keys/api-keys-table";
import { CreateApiKeyForm } from "@/components/api-keys/create-api-key-form";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { listApiKeys } from "@/server/auth/api-keys";
import { mayOnPage, workspaceForPage } from "../workspace-for-page";

export const metadata: Metadata = { title: "API keys" };

const iso = (d: Date | null) => d?.toISOString() ?? null;

export default async function ApiKeysPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { db, workspace } = await workspaceForPage(slug);
  if (!(await mayOnPage(slug, "api_keys.manage"))) {
    return (
      <EmptyState title="Only admins manage API keys" data-testid="api-keys-forbidden">
        Ask an admin of this workspace for a key.
      </EmptyState>
    );
  }
  const rows = await listApiKeys(db, workspace.id);
  const keys = rows.map((k) => ({
    ...k,
    createdAt: k.createdAt.toISOString(),
    lastUsedAt: iso(k.lastUsedAt),
    expiresAt: iso(k.expiresAt),
    revokedAt: iso(k.revokedAt),
  }));
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-2xl font-semibold tracking-tight">API keys</h1>
      <Card
        title={`${keys.length} key${keys.length === 1 ? "" : "s"}`}
        description={
          <>
            Scripts send a key as <code>Authorization: Bearer sl_…</code>; the key decides the workspace. See the{" "}
            <Link className="underline" href="/docs/api">
              API docs
            </Link>
            .
          </>
        }
      >
        <ApiKeysTable keys={keys} nowMs={Date.now()} />
      </Card>
      <Card
        title="Create a key"
        description="Give each script its own key with the fewest scopes it needs, and an expiry."
      >
        <CreateApiKeyForm />
      </Card>
    </div>
  );
}
