import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { currentUser } from "@/server/auth";

export const dynamic = "force-dynamic";

/** Everything under /w needs a signed-in user (the proxy redirects too; this is the page-level check). */
export default async function SignedInLayout({ children }: { children: ReactNode }) {
  if (!(await currentUser())) redirect("/sign-in?callbackUrl=/w");
  return <div className="min-h-screen">{children}</div>;
}
