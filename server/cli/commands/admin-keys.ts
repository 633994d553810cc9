/** `admin create-key` and `admin revoke-key` (see admin.ts). */
import { and, asc, eq } from "drizzle-orm";
import { API_KEY_SCOPES, type ApiKeyScope } from "@/lib/roles";
import { openCliDatabase } from "@/server/cli/db";
import { memberships, workspaces } from "@/server/db/schema";
import { createApiKey, revokeApiKey } from "@/server/auth/api-keys";
import { CliError, flag, numberFlag, parseArgs } from "../args";
import type { Actor } from "@/server/auth/access";

export async function createKey(argv: string[], actor: Actor): Promise<number> {
  const args = parseArgs(argv, { known: ["workspace", "scopes", "name", "expires-days"] });
  const slug = flag(args, "workspace");
  const scopesRaw = flag(args, "scopes");
  if (!slug || !scopesRaw)
    throw new CliError(
      "usage: admin create-key --workspace SLUG --scopes read,run[,admin] [--name N] [--expires-days N]",
    );
  const scopes = scopesRaw
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = scopes.filter((s) => !(API_KEY_SCOPES as readonly string[]).includes(s));
  if (bad.length || scopes.length === 0)
    throw new CliError(`unknown scope(s) ${bad.join(", ") || "(none)"}; use read, run, admin`);
  const days = numberFlag(args, "expires-days");
  if (days !== undefined && (!Number.isInteger(days) || days < 1 || days > 3650))
    throw new CliError("--expires-days must be a whole number from 1 to 3650");
  const { db } = await openCliDatabase();
  const [ws] = await db.select().from(workspaces).where(eq(workspaces.slug, slug)).limit(1);
  if (!ws) throw new CliError(`no workspace with slug ${slug}`);
  // A key acts for a member (its scopes ∩ that member's role): an operator's key acts for the owner.
  const [owner] = await db
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.workspaceId, ws.id), eq(memberships.role, "owner")))
    .orderBy(asc(memberships.createdAt))
    .limit(1);
  if (!owner) throw new CliError(`workspace ${slug} has no owner for the key to act for`);
  const created = await createApiKey(
    db,
    { actor: { ...actor, userId: owner.userId }, workspaceId: ws.id, role: null },
    { name: flag(args, "name") ?? "operator key", scopes: scopes as ApiKeyScope[], expiresInDays: days ?? null },
  );
  process.stderr.write("This key is shown once. Store it now.\n");
  process.stdout.write(`${created.key}\n`);
  return 0;
}

export async function revokeKey(argv: string[], actor: Actor): Promise<number> {
  const args = parseArgs(argv, { known: ["prefix"] });
  const prefix = flag(args, "prefix");
  if (!prefix) throw new CliError("usage: admin revoke-key --prefix sl_XXXXXXXX");
  const { db } = await openCliDatabase();
  const revoked = await revokeApiKey(db, actor, { workspaceId: null, prefix: prefix.split("_").slice(0, 2).join("_") });
  process.stdout.write(`${JSON.stringify({ revoked: revoked.prefix })}\n`);
  return 0;
}
