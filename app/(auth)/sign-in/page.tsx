import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth/auth-card";
import { safeCallbackUrl } from "@/components/auth/callback-url";
import { OauthButtons } from "@/components/auth/oauth-buttons";
import { SignInForm } from "@/components/auth/sign-in-form";
import { currentUser } from "@/server/auth";
import { oauthProviders } from "@/server/auth/config";
import { oauthSignIn } from "../actions";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const callbackUrl = safeCallbackUrl((await searchParams).callbackUrl);
  if (await currentUser()) redirect(callbackUrl);
  return (
    <AuthCard title="Sign in" subtitle="Welcome back to Strategy Lab.">
      <div className="flex flex-col gap-4">
        <SignInForm callbackUrl={callbackUrl} />
        <OauthButtons providers={oauthProviders()} callbackUrl={callbackUrl} action={oauthSignIn} />
      </div>
    </AuthCard>
  );
}
