import "server-only";
/**
 * The methods each REST v1 path answers, from the endpoint list the OpenAPI document is built
 * from. The request proxy answers any other method on a known path with a JSON 405 naming the
 * allowed ones (Next alone answers 405 with an empty body). Pure: no database, safe in the proxy.
 */
import { ENDPOINTS } from "./openapi";

const TEMPLATES = [...new Set(ENDPOINTS.map((e) => e.path))].map((path) => ({
  path,
  re: new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "[^/]+")}/?$`),
  methods: [...new Set(ENDPOINTS.filter((e) => e.path === path).map((e) => e.method.toUpperCase()))],
}));

/**
 * A JSON 405 for `method` on `pathname` when the path is a REST v1 endpoint that does not answer
 * that method; null otherwise (unknown paths get the JSON 404 of the catch-all route). HEAD and
 * OPTIONS are left to Next.
 */
export function methodNotAllowed(method: string, pathname: string): Response | null {
  const m = method.toUpperCase();
  if (m === "HEAD" || m === "OPTIONS" || !pathname.startsWith("/api/v1/")) return null;
  const hit = TEMPLATES.find((t) => t.re.test(pathname));
  if (!hit || hit.methods.includes(m)) return null;
  const allowed = hit.methods.join(", ");
  return Response.json(
    {
      error: {
        code: "METHOD_NOT_ALLOWED",
        message: `${m.slice(0, 16)} is not allowed on ${hit.path}; it answers ${allowed} (see /api/v1/openapi.json).`,
      },
    },
    { status: 405, headers: { Allow: allowed, "Cache-Control": "no-store" } },
  );
}
