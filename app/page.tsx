import Link from "next/link";
import { redirect } from "next/navigation";
import { currentUser } from "@/server/auth";

export const dynamic = "force-dynamic";

export default async function Home() {
  const user = await currentUser();
  if (user) redirect("/w");
  return (
    <main className="mx-auto flex max-w-3xl flex-col gap-6 px-6 py-24">
      <h1 className="text-4xl font-semibold tracking-tight">Strategy Lab</h1>
      <p className="text-lg text-slate-600">
        Describe a trading idea in plain English and get strategy code you can edit, backtest across a universe,
        optimize, run as a screener and as alerts — together with your team.
      </p>
      <div className="flex gap-3">
        <Link href="/sign-up" className="rounded-md bg-slate-900 px-4 py-2 text-white" data-testid="cta-sign-up">
          Create an account
        </Link>
        <Link href="/sign-in" className="rounded-md border border-slate-300 px-4 py-2" data-testid="cta-sign-in">
          Sign in
        </Link>
      </div>
    </main>
  );
}
