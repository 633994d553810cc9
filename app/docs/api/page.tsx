import Link from "next/link";
import { ENDPOINTS } from "@/server/http/v1/openapi";

export const metadata = { title: "REST API" };

export default function ApiDocsPage() {
  return (
    <main className="mx-auto max-w-4xl space-y-8 px-6 py-12" data-testid="api-docs">
      <header className="space-y-2">
        <h1 className="text-3xl font-semibold">Strategy Lab REST API v1</h1>
        <p className="text-slate-600">
          Authenticate every request with a workspace API key: <code>Authorization: Bearer sl_…</code>. Admins create
          keys under
          <em> Workspace → API keys</em>; the key decides the workspace. Errors are JSON{" "}
          <code>{"{ error: { code, message } }"}</code>. Every answer carries <code>RateLimit-Limit</code>,{" "}
          <code>RateLimit-Remaining</code> and <code>RateLimit-Reset</code>; a 429 also carries <code>Retry-After</code>
          . Machine-readable:{" "}
          <Link className="underline" href="/api/v1/openapi.json">
            /api/v1/openapi.json
          </Link>{" "}
          (OpenAPI 3.1).
        </p>
      </header>
      {ENDPOINTS.map((e) => (
        <section key={`${e.method} ${e.path}`} className="rounded-lg border border-slate-200 bg-white p-5">
          <h2 className="font-mono text-sm">
            <span className="mr-2 rounded bg-slate-900 px-2 py-0.5 text-white uppercase">{e.method}</span>
            {e.path}
          </h2>
          <p className="mt-2 text-slate-700">{e.summary}</p>
          <p className="mt-1 text-sm text-slate-500">Scope: {e.scope}</p>
          <pre className="mt-3 overflow-x-auto rounded bg-slate-100 p-3 text-xs">
            {`curl -s ${e.method === "post" ? "-X POST -H 'Content-Type: application/json' " : ""}-H "Authorization: Bearer $LAB_KEY" http://localhost:3000${e.path}`}
          </pre>
        </section>
      ))}
    </main>
  );
}
