import "server-only";
/**
 * A workspace's prompt templates: defaults from the template files, overridden per workspace
 * with an append-only version history (save, rollback to any version, or back to the default).
 */
import { createHash } from "node:crypto";
import { and, desc, eq } from "drizzle-orm";
import { AppError } from "@/lib/errors";
import type { Db, DbOrTx } from "@/server/db";
import { promptTemplateVersions } from "@/server/db/schema";
import { recordAudit } from "@/server/services/audit";
import { DEFAULT_TEMPLATES, TEMPLATE_NAMES, validateTemplate, type TemplateName, type TemplateSet } from "./prompts";
import type { WorkspaceCaller } from "@/server/auth/access";

/** One template as the settings page shows it. */
export interface TemplateView {
  name: TemplateName;
  description: string;
  required: readonly string[];
  optional: readonly string[];
  defaultText: string;
  text: string;
  /** 0 = the default is in use (never overridden). */
  version: number;
  overridden: boolean;
}

async function latest(db: DbOrTx, workspaceId: string) {
  const rows = await db
    .select()
    .from(promptTemplateVersions)
    .where(eq(promptTemplateVersions.workspaceId, workspaceId))
    .orderBy(desc(promptTemplateVersions.version));
  const byName = new Map<string, (typeof rows)[number]>();
  for (const r of rows) if (!byName.has(r.name)) byName.set(r.name, r);
  return byName;
}

export async function listTemplates(db: DbOrTx, workspaceId: string): Promise<TemplateView[]> {
  const current = await latest(db, workspaceId);
  return TEMPLATE_NAMES.map((name) => {
    const spec = DEFAULT_TEMPLATES[name];
    const row = current.get(name);
    return {
      name,
      description: spec.description,
      required: spec.required,
      optional: spec.optional,
      defaultText: spec.text,
      text: row?.text ?? spec.text,
      version: row?.version ?? 0,
      overridden: row?.text != null,
    };
  });
}

/** The texts in use for generation. */
export async function templateSetFor(db: DbOrTx, workspaceId: string): Promise<TemplateSet> {
  return (await templatesInUse(db, workspaceId)).templates;
}

/**
 * Which version of each template a generation used, as stored with the generated version: the
 * workspace's version number (0 = the built-in default) and the first 12 hex digits of the
 * SHA-256 of the text (built-in defaults change with releases; the hash tells them apart).
 */
export type TemplateVersions = Record<TemplateName, { version: number; sha256: string }>;

/** The texts in use for generation and the versions they are. */
export async function templatesInUse(
  db: DbOrTx,
  workspaceId: string,
): Promise<{ templates: TemplateSet; versions: TemplateVersions }> {
  const views = await listTemplates(db, workspaceId);
  return {
    templates: Object.fromEntries(views.map((v) => [v.name, v.text])) as TemplateSet,
    versions: Object.fromEntries(
      views.map((v) => [
        v.name,
        { version: v.version, sha256: createHash("sha256").update(v.text).digest("hex").slice(0, 12) },
      ]),
    ) as TemplateVersions,
  };
}

export async function templateHistory(db: DbOrTx, workspaceId: string, name: TemplateName) {
  return db
    .select()
    .from(promptTemplateVersions)
    .where(and(eq(promptTemplateVersions.workspaceId, workspaceId), eq(promptTemplateVersions.name, name)))
    .orderBy(desc(promptTemplateVersions.version));
}

async function append(
  db: Db,
  caller: WorkspaceCaller,
  name: TemplateName,
  text: string | null,
  note: string,
  action: string,
) {
  return db.transaction(async (tx) => {
    const [prev] = await tx
      .select({ version: promptTemplateVersions.version })
      .from(promptTemplateVersions)
      .where(and(eq(promptTemplateVersions.workspaceId, caller.workspaceId), eq(promptTemplateVersions.name, name)))
      .orderBy(desc(promptTemplateVersions.version))
      .limit(1);
    const version = (prev?.version ?? 0) + 1;
    const [row] = await tx
      .insert(promptTemplateVersions)
      .values({
        workspaceId: caller.workspaceId,
        name,
        version,
        text,
        note,
        createdBy: caller.actor.userId ?? caller.actor.id,
      })
      .returning();
    await recordAudit(tx, {
      action,
      actor: caller.actor,
      workspaceId: caller.workspaceId,
      target: { type: "prompt_template", id: name },
      metadata: { version, note },
    });
    return row;
  });
}

/** Saves a new version; rejects unknown or missing placeholders with INVALID_INPUT naming them. */
export async function saveTemplate(
  db: Db,
  caller: WorkspaceCaller,
  input: { name: TemplateName; text: string; note?: string },
) {
  const problems = validateTemplate(input.name, input.text);
  if (problems.length > 0)
    throw new AppError("INVALID_INPUT", `The ${input.name} template was not saved: ${problems.join(" ")}`);
  return append(db, caller, input.name, input.text, input.note ?? "", "prompt_template.updated");
}

/** Makes `version` current again as a new version; version 0 means the built-in default. */
export async function rollbackTemplate(
  db: Db,
  caller: WorkspaceCaller,
  input: { name: TemplateName; version: number },
) {
  if (input.version === 0)
    return append(db, caller, input.name, null, "Back to the default", "prompt_template.rolled_back");
  const history = await templateHistory(db, caller.workspaceId, input.name);
  const target = history.find((h) => h.version === input.version);
  if (!target)
    throw new AppError("NOT_FOUND", `Version ${input.version} of the ${input.name} template does not exist.`);
  return append(
    db,
    caller,
    input.name,
    target.text,
    `Rolled back to version ${input.version}`,
    "prompt_template.rolled_back",
  );
}
