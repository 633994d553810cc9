import Link from "next/link";
import { Badge, roleTone } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";

/** The user's workspaces with their role in each. */
export function WorkspaceList({
  workspaces,
}: {
  workspaces: readonly { id: string; name: string; slug: string; role: string }[];
}) {
  if (workspaces.length === 0) {
    return (
      <EmptyState title="No workspaces yet" data-testid="workspaces-empty">
        Create one, or open an invite link a teammate sent you.
      </EmptyState>
    );
  }
  return (
    <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white" data-testid="workspace-list">
      {workspaces.map((w) => (
        <li key={w.id}>
          <Link
            href={`/w/${w.slug}`}
            className="flex items-center justify-between gap-4 px-4 py-3 hover:bg-slate-50"
            data-testid={`workspace-link-${w.slug}`}
          >
            <span>
              <span className="font-medium">{w.name}</span>
              <span className="ml-2 text-sm text-slate-500">/w/{w.slug}</span>
            </span>
            <Badge tone={roleTone(w.role)}>{w.role}</Badge>
          </Link>
        </li>
      ))}
    </ul>
  );
}
