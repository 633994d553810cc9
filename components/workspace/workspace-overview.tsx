import Link from "next/link";
import { can, type Role } from "@/lib/roles";
import { Badge, roleTone } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";

const QUICK_LINKS = [
  { href: "/lab", label: "Open the lab", text: "Describe an idea, get strategy code, backtest it." },
  { href: "/strategies", label: "Strategies", text: "Saved strategies and their versions." },
  { href: "/runs", label: "Runs", text: "Backtests and optimizations, with results." },
  { href: "/members", label: "Members", text: "Who is in this workspace, and invites." },
] as const;

/** The workspace landing page: your role, team size and where to go next. */
export function WorkspaceOverview({
  name,
  slug,
  role,
  memberCount,
}: {
  name: string;
  slug: string;
  role: Role;
  memberCount: number;
}) {
  return (
    <div className="flex flex-col gap-6" data-testid="workspace-overview">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight" data-testid="workspace-title">
          {name}
        </h1>
        <p className="mt-1 text-sm text-slate-600">
          You are <Badge tone={roleTone(role)}>{role}</Badge> here ·{" "}
          <span data-testid="member-count">
            {memberCount} member{memberCount === 1 ? "" : "s"}
          </span>
          {can(role, "strategies.write") ? "" : " · read-only access"}
        </p>
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        {QUICK_LINKS.map((l) => (
          <Link key={l.href} href={`/w/${slug}${l.href}`} className="block">
            <Card className="h-full hover:border-slate-400">
              <p className="font-medium">{l.label}</p>
              <p className="mt-1 text-sm text-slate-500">{l.text}</p>
            </Card>
          </Link>
        ))}
      </div>
    </div>
  );
}
