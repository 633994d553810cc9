/**
 * Operator commands acting on DATABASE_URL (or the embedded database), audited with the
 * operator as actor and validated like the UI:
 *   admin create-user --email E --password P
 *   admin create-workspace --owner E --slug S [--name N]
 *   admin create-key --workspace S --scopes read,run[,admin] [--name N] [--expires-days N]
 *   admin revoke-key --prefix P
 *   admin rotate-encryption-key   (re-encrypt stored secrets with LAB_ENCRYPTION_KEY; see server/ops/rotation.ts)
 */
import { eq } from "drizzle-orm";
import { os } from "./admin-os";
import { AppError } from "@/lib/errors";
import { createWorkspaceInput } from "@/lib/schemas/workspaces";
import { closeCliDatabase, openCliDatabase } from "@/server/cli/db";
import { users } from "@/server/db/schema";
import { signUp } from "@/server/services/accounts";
import { createWorkspace } from "@/server/services/workspaces";
import { CliError, flag, parseArgs } from "../args";
import type { Actor } from "@/server/auth/access";

type Handler = (argv: string[], actor: Actor) => Promise<number>;

function operator(): Actor {
  return { type: "operator", id: null, label: `operator:${os.user()}@${os.host()}`, ip: null };
}

function required(args: ReturnType<typeof parseArgs>, name: string): string {
  const v = flag(args, name);
  if (!v) throw new CliError(`--${name} is required`);
  return v;
}

const createUser: Handler = async (argv, actor) => {
  const args = parseArgs(argv, { known: ["email", "password", "name"] });
  const { db } = await openCliDatabase();
  const user = await signUp(
    db,
    { email: required(args, "email"), password: required(args, "password"), name: flag(args, "name") },
    null,
    actor,
  );
  process.stdout.write(`${JSON.stringify({ id: user.id, email: user.email })}\n`);
  return 0;
};

const createWs: Handler = async (argv, actor) => {
  const args = parseArgs(argv, { known: ["owner", "slug", "name"] });
  const slug = required(args, "slug");
  const parsed = createWorkspaceInput.safeParse({ slug, name: flag(args, "name") ?? slug });
  if (!parsed.success) throw new CliError(parsed.error.issues.map((i) => i.message).join("; "));
  const { db } = await openCliDatabase();
  const email = required(args, "owner").trim().toLowerCase();
  const [owner] = await db.select().from(users).where(eq(users.email, email)).limit(1);
  if (!owner) throw new CliError(`no user with email ${email}; create it first with admin create-user`);
  const ws = await createWorkspace(
    db,
    { type: "user", id: owner.id, label: `${owner.email} (via ${actor.label})` },
    parsed.data,
  );
  process.stdout.write(`${JSON.stringify({ id: ws.id, slug: ws.slug, owner: email })}\n`);
  return 0;
};

const SUBCOMMANDS: Record<string, Handler> = {
  "create-user": createUser,
  "create-workspace": createWs,
  "create-key": async (argv, actor) => (await import("./admin-keys")).createKey(argv, actor),
  "revoke-key": async (argv, actor) => (await import("./admin-keys")).revokeKey(argv, actor),
  "rotate-encryption-key": async (argv, actor) => {
    parseArgs(argv, { known: [] });
    const { rotateEncryptionKey, RotationError } = await import("@/server/ops/rotation");
    const { db } = await openCliDatabase();
    try {
      const counts = await rotateEncryptionKey(db, actor.label ?? "operator");
      process.stdout.write(`${JSON.stringify({ rotated: true, ...counts })}\n`);
      return 0;
    } catch (err) {
      if (err instanceof RotationError) throw new CliError(err.message, 1);
      throw err;
    }
  },
};

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const handler = sub ? SUBCOMMANDS[sub] : undefined;
  if (!handler) throw new CliError(`usage: npm run lab -- admin <${Object.keys(SUBCOMMANDS).join("|")}> [options]`);
  try {
    return await handler(rest, operator());
  } catch (err) {
    if (err instanceof AppError) throw new CliError(err.message, 1);
    throw err;
  } finally {
    await closeCliDatabase();
  }
}
