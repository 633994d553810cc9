"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useHydrated } from "@/components/ui/use-hydrated";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/form-error";
import { Field, Input } from "@/components/ui/input";
import { postSignIn } from "./post-sign-in";

/** Email + password sign-in; on success goes to `callbackUrl`. */
export function SignInForm({ callbackUrl }: { callbackUrl: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const hydrated = useHydrated();

  // Uncontrolled inputs read at submit: what was typed before the page hydrated is kept.
  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    setPending(true);
    setError(null);
    const result = await postSignIn(String(data.get("email") ?? ""), String(data.get("password") ?? ""));
    if (!result.ok) {
      setError(result.message);
      setPending(false);
      return;
    }
    router.push(callbackUrl);
    router.refresh();
  }

  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-4" data-testid="sign-in-form">
      <Field label="Email" htmlFor="email">
        <Input id="email" name="email" type="email" autoComplete="email" required data-testid="sign-in-email" />
      </Field>
      <Field label="Password" htmlFor="password">
        <Input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          data-testid="sign-in-password"
        />
      </Field>
      <FormError message={error} testId="sign-in-error" />
      <Button type="submit" disabled={pending || !hydrated} data-testid="sign-in-submit">
        {pending ? "Signing in…" : "Sign in"}
      </Button>
      <p className="text-sm text-slate-600">
        No account yet?{" "}
        <Link
          className="font-medium underline"
          href={`/sign-up?callbackUrl=${encodeURIComponent(callbackUrl)}`}
          data-testid="link-sign-up"
        >
          Create one
        </Link>
      </p>
    </form>
  );
}
