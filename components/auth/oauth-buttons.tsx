import { Button } from "@/components/ui/button";

/**
 * One button per configured OAuth provider. `action` is a server action (defined in app/)
 * that reads `provider` and `callbackUrl` from the form and starts the provider's sign-in.
 */
export function OauthButtons({
  providers,
  callbackUrl,
  action,
}: {
  providers: readonly { id: string; name: string }[];
  callbackUrl: string;
  action: (formData: FormData) => Promise<void>;
}) {
  if (providers.length === 0) return null;
  return (
    <div className="flex flex-col gap-2" data-testid="oauth-buttons">
      <div className="flex items-center gap-3 text-xs text-slate-400">
        <span className="h-px flex-1 bg-slate-200" />
        or
        <span className="h-px flex-1 bg-slate-200" />
      </div>
      {providers.map((p) => (
        <form key={p.id} action={action}>
          <input type="hidden" name="provider" value={p.id} />
          <input type="hidden" name="callbackUrl" value={callbackUrl} />
          <Button type="submit" variant="secondary" className="w-full" data-testid={`oauth-${p.id}`}>
            Continue with {p.name}
          </Button>
        </form>
      ))}
    </div>
  );
}
