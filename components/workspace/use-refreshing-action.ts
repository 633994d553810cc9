"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { errorMessage } from "@/components/ui/form-error";

/**
 * Runs a mutation, then re-renders the server page (router.refresh) so server-fetched data
 * shows the change. Keeps the server's error sentence for display.
 */
export function useRefreshingAction() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [refreshing, startTransition] = useTransition();

  async function run<T>(action: () => Promise<T>): Promise<T | undefined> {
    setBusy(true);
    setError(null);
    try {
      const result = await action();
      startTransition(() => router.refresh());
      return result;
    } catch (err) {
      setError(errorMessage(err));
      return undefined;
    } finally {
      setBusy(false);
    }
  }

  return { run, error, setError, pending: busy || refreshing };
}
