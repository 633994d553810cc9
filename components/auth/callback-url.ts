/** A same-origin path to return to after signing in; anything else (absolute URLs, `//host`) falls back to `/w`. */
export function safeCallbackUrl(raw: string | string[] | null | undefined): string {
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return "/w";
  return value;
}
