/** The server's sentence for a failed action (never a stack), announced to screen readers. */
export function FormError({ message, testId = "form-error" }: { message: string | null | undefined; testId?: string }) {
  if (!message) return null;
  return (
    <p
      role="alert"
      data-testid={testId}
      className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700"
    >
      {message}
    </p>
  );
}

/** The human sentence of any thrown value (tRPC errors carry the server's message). */
export function errorMessage(err: unknown): string {
  if (err instanceof Error && err.message) return err.message;
  return "Something went wrong. Try again.";
}
