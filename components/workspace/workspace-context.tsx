"use client";
import { createContext, useContext, useMemo, type ReactNode } from "react";
import { can as roleCan, type Permission, type Role } from "@/lib/roles";

/** The workspace a `/w/[slug]/…` page belongs to, and the signed-in user's role in it. */
export interface WorkspaceInfo {
  id: string;
  slug: string;
  name: string;
  role: Role;
}

export interface WorkspaceContextValue extends WorkspaceInfo {
  /** Whether the user's role grants `permission` (UI hint only; every procedure re-checks). */
  can(permission: Permission): boolean;
}

const WorkspaceContext = createContext<WorkspaceContextValue | null>(null);

/** Set once by the `/w/[slug]` layout. */
export function WorkspaceProvider({ workspace, children }: { workspace: WorkspaceInfo; children: ReactNode }) {
  const { id, slug, name, role } = workspace;
  const value = useMemo<WorkspaceContextValue>(
    () => ({ id, slug, name, role, can: (p) => roleCan(role, p) }),
    [id, slug, name, role],
  );
  return <WorkspaceContext.Provider value={value}>{children}</WorkspaceContext.Provider>;
}

/** The current workspace; throws when used outside `/w/[slug]/…`. */
export function useWorkspace(): WorkspaceContextValue {
  const value = useContext(WorkspaceContext);
  if (!value) throw new Error("useWorkspace() is only available on pages under /w/[slug].");
  return value;
}
