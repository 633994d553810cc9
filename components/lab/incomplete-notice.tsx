/** Says when the editor holds code that is not a finished, saved generation. */
export function IncompleteNotice({ incomplete, fromDraft }: { incomplete: boolean; fromDraft: boolean }) {
  if (!incomplete && !fromDraft) return null;
  return (
    <p
      role="status"
      data-testid="code-incomplete"
      data-incomplete={incomplete}
      className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900"
    >
      {incomplete
        ? "Incomplete: generation was stopped, so this is exactly the code that had arrived. It is not validated or saved; finish it by hand or generate again."
        : "Restored your unsaved draft. Save a version to keep it."}
    </p>
  );
}
