/** Building requests for the REST v1 route handlers, and API keys for seeded workspaces. */
import type { Db } from "@/server/db";
import { createApiKey } from "@/server/auth/api-keys";
import type { ApiKeyScope } from "@/lib/roles";

export function apiRequest(
  method: string,
  path: string,
  key?: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Request {
  return new Request(`http://localhost${path}`, {
    method,
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
      ...headers,
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
}

export const noParams = { params: Promise.resolve({}) };
export const idParams = (id: string) => ({ params: Promise.resolve({ id }) });

/** A key of `workspaceId` created by `ownerId` (as the owner would from the keys page). */
export async function keyFor(
  db: Db,
  ownerId: string,
  workspaceId: string,
  scopes: ApiKeyScope[],
  opts: { name?: string; expiresInDays?: number; now?: Date } = {},
) {
  const caller = { actor: { type: "user" as const, id: ownerId, label: "owner" }, workspaceId, role: "owner" as const };
  return createApiKey(
    db,
    caller,
    { name: opts.name ?? scopes.join("+"), scopes, expiresInDays: opts.expiresInDays },
    opts.now,
  );
}

/** Read a text/event-stream body to the end and split it into `{ event, data }` records. */
export async function readEvents(res: Response): Promise<{ event: string; data: unknown }[]> {
  const text = await res.text();
  return text
    .split("\n\n")
    .map((block) => block.trim())
    .filter((block) => block && !block.startsWith(":"))
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? "message";
      const data = /^data: (.*)$/m.exec(block)?.[1];
      return { event, data: data ? JSON.parse(data) : null };
    });
}
