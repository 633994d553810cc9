"use client";
import { useRouter } from "next/navigation";
import { fieldClass } from "@/components/ui/input";

/** Dropdown of the user's workspaces; choosing one opens it. */
export function WorkspaceSwitcher({
  current,
  workspaces,
}: {
  current: string;
  workspaces: readonly { slug: string; name: string }[];
}) {
  const router = useRouter();
  return (
    <label className="flex items-center gap-2 text-sm">
      <span className="sr-only">Workspace</span>
      <select
        className={`${fieldClass} w-auto min-w-44 py-1.5 font-medium`}
        value={current}
        onChange={(e) => router.push(e.target.value === "" ? "/w" : `/w/${e.target.value}`)}
        data-testid="workspace-switcher"
      >
        {workspaces.map((w) => (
          <option key={w.slug} value={w.slug}>
            {w.name}
          </option>
        ))}
        <option value="">All workspaces / new…</option>
      </select>
    </label>
  );
}
