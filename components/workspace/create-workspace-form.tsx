"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { slugSchema, workspaceNameSchema } from "@/lib/schemas/workspaces";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { errorMessage, FormError } from "@/components/ui/form-error";
import { Field, Input } from "@/components/ui/input";
import { slugify } from "./slugify";

/** Name + slug (suggested from the name until edited by hand); opens the new workspace. */
export function CreateWorkspaceForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const create = useMutation(trpc.workspaces.create.mutationOptions());
  const [name, setName] = useState("");
  const [slug, setSlug] = useState("");
  const [slugEdited, setSlugEdited] = useState(false);
  const [error, setError] = useState<string | null>(null);

  function onName(value: string) {
    setName(value);
    if (!slugEdited) setSlug(slugify(value));
  }

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const problem = workspaceNameSchema.safeParse(name).error ?? slugSchema.safeParse(slug).error;
    if (problem) {
      setError(problem.issues[0]?.message ?? "Check the name and slug.");
      return;
    }
    try {
      const ws = await create.mutateAsync({ name, slug });
      router.push(`/w/${ws.slug}`);
      router.refresh();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-4" data-testid="create-workspace-form">
      <Field label="Name" htmlFor="ws-name">
        <Input
          id="ws-name"
          required
          maxLength={80}
          value={name}
          onChange={(e) => onName(e.target.value)}
          data-testid="workspace-name"
        />
      </Field>
      <Field
        label="URL slug"
        htmlFor="ws-slug"
        hint={slug ? `Your workspace will live at /w/${slug}` : "Lowercase letters, digits and hyphens."}
      >
        <Input
          id="ws-slug"
          required
          maxLength={40}
          value={slug}
          onChange={(e) => {
            setSlugEdited(true);
            setSlug(e.target.value);
          }}
          data-testid="workspace-slug"
        />
      </Field>
      <FormError message={error} testId="create-workspace-error" />
      <Button type="submit" disabled={create.isPending} data-testid="create-workspace-submit">
        {create.isPending ? "Creating…" : "Create workspace"}
      </Button>
    </form>
  );
}
