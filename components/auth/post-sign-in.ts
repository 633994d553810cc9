/** Result of POST /api/account/sign-in: ok, or the server's sentence (incl. the wait when throttled). */
export type SignInResult = { ok: true } | { ok: false; status: number; message: string };

export async function postSignIn(email: string, password: string): Promise<SignInResult> {
  let res: Response;
  try {
    res = await fetch("/api/account/sign-in", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password }),
    });
  } catch {
    return { ok: false, status: 0, message: "Could not reach the server. Check your connection and try again." };
  }
  if (res.ok) return { ok: true };
  const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
  const retryAfter = res.headers.get("retry-after");
  const fallback =
    res.status === 429
      ? `Too many sign-in attempts. Try again in ${retryAfter ?? "a few"} s.`
      : res.status === 401
        ? "Wrong email or password."
        : "Sign-in failed. Try again.";
  return { ok: false, status: res.status, message: body?.error?.message ?? fallback };
}
