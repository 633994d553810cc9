"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useHydrated } from "@/components/ui/use-hydrated";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { errorMessage, FormError } from "@/components/ui/form-error";
import { Field, Input } from "@/components/ui/input";
import { postSignIn } from "./post-sign-in";

/** Creates the account, signs in with the same credentials and goes to `callbackUrl`. */
export function SignUpForm({ callbackUrl }: { callbackUrl: string }) {
  const router = useRouter();
  const trpc = useTRPC();
  const signUp = useMutation(trpc.account.signUp.mutationOptions());
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const hydrated = useHydrated();

  // The inputs are uncontrolled and read at submit, so what was typed before the page hydrated
  // is kept (a controlled input would be reset to its empty state by hydration).
  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const form = {
      name: String(data.get("name") ?? ""),
      email: String(data.get("email") ?? ""),
      password: String(data.get("password") ?? ""),
    };
    setPending(true);
    setError(null);
    try {
      await signUp.mutateAsync({
        email: form.email,
        password: form.password,
        ...(form.name.trim() ? { name: form.name } : {}),
      });
    } catch (err) {
      setError(errorMessage(err));
      setPending(false);
      return;
    }
    const result = await postSignIn(form.email, form.password);
    if (!result.ok) {
      setError(`Your account was created, but signing in failed: ${result.message}`);
      setPending(false);
      return;
    }
    router.push(callbackUrl);
    router.refresh();
  }

  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-4" data-testid="sign-up-form">
      <Field label="Name (optional)" htmlFor="name">
        <Input id="name" name="name" autoComplete="name" data-testid="sign-up-name" />
      </Field>
      <Field label="Email" htmlFor="email">
        <Input id="email" name="email" type="email" autoComplete="email" required data-testid="sign-up-email" />
      </Field>
      <Field label="Password" htmlFor="password" hint="At least 10 characters, mixing letters with digits or symbols.">
        <Input
          id="password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          data-testid="sign-up-password"
        />
      </Field>
      <FormError message={error} testId="sign-up-error" />
      <Button type="submit" disabled={pending || !hydrated} data-testid="sign-up-submit">
        {pending ? "Creating account…" : "Create account"}
      </Button>
      <p className="text-sm text-slate-600">
        Already have an account?{" "}
        <Link
          className="font-medium underline"
          href={`/sign-in?callbackUrl=${encodeURIComponent(callbackUrl)}`}
          data-testid="link-sign-in"
        >
          Sign in
        </Link>
      </p>
    </form>
  );
}
