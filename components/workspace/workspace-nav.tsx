"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import type { Permission } from "@/lib/roles";
import { useWorkspace } from "./workspace-context";

const LINKS: readonly { href: string; label: string; testId: string; needs?: Permission }[] = [
  { href: "", label: "Overview", testId: "nav-overview" },
  { href: "/lab", label: "Lab", testId: "nav-lab" },
  { href: "/strategies", label: "Strategies", testId: "nav-strategies" },
  { href: "/lifecycle", label: "Lifecycle", testId: "nav-lifecycle" },
  { href: "/runs", label: "Runs", testId: "nav-runs" },
  { href: "/screens", label: "Screens", testId: "nav-screens" },
  { href: "/alerts", label: "Alerts", testId: "nav-alerts" },
  { href: "/data", label: "Data", testId: "nav-data" },
  { href: "/reports", label: "Reports", testId: "nav-reports" },
  { href: "/members", label: "Members", testId: "nav-members" },
  { href: "/audit", label: "Audit", testId: "nav-audit", needs: "audit.read" },
  { href: "/keys", label: "API keys", testId: "nav-keys", needs: "api_keys.manage" },
  { href: "/operations", label: "Operations", testId: "nav-operations", needs: "settings.manage" },
  { href: "/settings", label: "Settings", testId: "nav-settings" },
];

/** The workspace's section links; admin-only sections are hidden from others. */
export function WorkspaceNav() {
  const ws = useWorkspace();
  const pathname = usePathname();
  const base = `/w/${ws.slug}`;
  return (
    <nav className="flex flex-wrap gap-1 text-sm" aria-label="Workspace sections" data-testid="workspace-nav">
      {LINKS.filter((l) => !l.needs || ws.can(l.needs)).map((l) => {
        const href = base + l.href;
        const active = l.href === "" ? pathname === base : pathname === href || pathname.startsWith(`${href}/`);
        return (
          <Link
            key={l.href}
            href={href}
            data-testid={l.testId}
            aria-current={active ? "page" : undefined}
            className={`rounded-md px-3 py-1.5 ${active ? "bg-slate-900 text-white" : "text-slate-600 hover:bg-slate-100"}`}
          >
            {l.label}
          </Link>
        );
      })}
    </nav>
  );
}
