import Link from "next/link";
import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";

interface AppHeaderProps {
  email: string | null;
  signOutAction: () => Promise<void>;
  /** Ends the account's sessions on every device. */
  signOutEverywhereAction?: () => Promise<void>;
  children?: ReactNode;
}

/** Top bar of the signed-in shell: product link, extra controls, the user's email and sign-out. */
export function AppHeader({ email, signOutAction, signOutEverywhereAction, children }: AppHeaderProps) {
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
        {signOutEverywhereAction ? (
          <form action={signOutEverywhereAction}>
            <Button
              type="submit"
              variant="ghost"
              size="sm"
              data-testid="sign-out-everywhere"
              title="End your sessions on every device"
            >
              Sign out everywhere
            </Button>
          </form>
        ) : null}
        <form action={signOutAction}>
          <Button type="submit" variant="secondary" size="sm" data-testid="sign-out">
            Sign out
          </Button>
        </form>
      </div>
    </header>
  );
}
