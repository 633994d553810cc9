import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth/auth-card";
import { safeCallbackUrl } from "@/components/auth/callback-url";
import { OauthButtons } from "@/components/auth/oauth-buttons";
import { SignUpForm } from "@/components/auth/sign-up-form";
import { currentUser } from "@/server/auth";
import { oauthProviders } from "@/server/auth/config";
import { oauthSignIn } from "../actions";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Create an account" };

export default async function SignUpPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const callbackUrl = safeCallbackUrl((await searchParams).callbackUrl);
  if (await currentUser()) redirect(callbackUrl);
  return (
    <AuthCard title="Create an account" subtitle="Email and password; your team joins by invite link.">
      <div className="flex flex-col gap-4">
        <SignUpForm callbackUrl={callbackUrl} />
        <OauthButtons providers={oauthProviders()} callbackUrl={callbackUrl} action={oauthSignIn} />
      </div>
    </AuthCard>
  );
}
