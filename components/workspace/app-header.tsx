import Link from "next/link";
import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";

/** Top bar of the signed-in shell: product link, extra controls, the user's email and sign-out. */
export function AppHeader({ email, signOutAction, children }: { email: string | null; signOutAction: () => Promise<void>; children?: ReactNode }) {
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-6xl items-center gap-4 px-6 py-3">
        <Link href="/w" className="font-semibold tracking-tight" data-testid="home-link">
          Strategy Lab
        </Link>
        <div className="flex flex-1 items-center gap-3">{children}</div>
        <span className="hidden text-sm text-slate-500 sm:inline" data-testid="current-user-email">
          {email}
        </span>
        <form action={signOutAction}>
          <Button type="submit" variant="secondary" size="sm" data-testid="sign-out">
            Sign out
          </Button>
        </form>
      </div>
    </header>
  );
}
