"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { errorMessage, FormError } from "@/components/ui/form-error";

/** Accepts the invite for the signed-in user and opens the workspace. */
export function AcceptInviteButton({ token }: { token: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const accept = useMutation(trpc.invites.accept.mutationOptions());
  const [error, setError] = useState<string | null>(null);

  async function onAccept() {
    setError(null);
    try {
      const joined = await accept.mutateAsync({ token });
      router.push(`/w/${joined.slug}`);
      router.refresh();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <div className="flex flex-col gap-3">
      <Button
        onClick={() => void onAccept()}
        disabled={accept.isPending || accept.isSuccess}
        data-testid="invite-accept"
      >
        {accept.isPending || accept.isSuccess ? "Joining…" : "Accept invite"}
      </Button>
      <FormError message={error} testId="invite-accept-error" />
    </div>
  );
}
