"use server";
import { safeCallbackUrl } from "@/components/auth/callback-url";
import { signIn } from "@/server/auth";
import { oauthProviders } from "@/server/auth/config";

/** Starts an OAuth sign-in with a configured provider (the form posts `provider` and `callbackUrl`). */
export async function oauthSignIn(formData: FormData): Promise<void> {
  const provider = formData.get("provider");
  const configured = oauthProviders().find((p) => p.id === provider);
  if (!configured) throw new Error("This sign-in provider is not configured.");
  await signIn(configured.id, { redirectTo: safeCallbackUrl(String(formData.get("callbackUrl") ?? "")) });
}
