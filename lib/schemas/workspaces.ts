/** Zod schemas shared by forms and routers (client-safe). `.strict()` rejects unknown fields. */
import { z } from "zod";
import { ROLES } from "@/lib/roles";

const RESERVED_SLUGS = new Set([
  "new",
  "api",
  "admin",
  "settings",
  "w",
  "r",
  "invite",
  "sign-in",
  "sign-up",
  "static",
  "_next",
]);

export const slugSchema = z
  .string()
  .trim()
  .min(3, "Slug must be at least 3 characters.")
  .max(40, "Slug must be at most 40 characters.")
  .regex(
    /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/,
    "Slug may contain lowercase letters, digits and single hyphens, and must start and end with a letter or digit.",
  )
  .refine((s) => !s.includes("--"), "Slug may not contain two hyphens in a row.")
  .refine((s) => !RESERVED_SLUGS.has(s), "This slug is reserved; choose another.");

export const workspaceNameSchema = z
  .string()
  .trim()
  .min(1, "Name is required.")
  .max(80, "Name must be at most 80 characters.");

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, "Email is too long.")
  .email("Enter a valid email address.");

export const roleSchema = z.enum(ROLES);
export const invitableRoleSchema = z.enum(["admin", "member", "viewer"], {
  message: "Role must be admin, member or viewer.",
});

export const workspaceIdSchema = z.string().uuid("Unknown workspace.");

export const signUpInput = z
  .object({
    email: emailSchema,
    password: z.string().max(200, "Password must be at most 200 characters long."),
    name: z.string().trim().max(80, "Name must be at most 80 characters.").optional(),
  })
  .strict();

export const createWorkspaceInput = z.object({ name: workspaceNameSchema, slug: slugSchema }).strict();
export const updateWorkspaceInput = z.object({ workspaceId: workspaceIdSchema, name: workspaceNameSchema }).strict();
export const deleteWorkspaceInput = z
  .object({ workspaceId: workspaceIdSchema, confirmSlug: z.string().max(40) })
  .strict();
export const transferOwnershipInput = z
  .object({ workspaceId: workspaceIdSchema, userId: z.string().min(1).max(64) })
  .strict();

export const createInviteInput = z
  .object({
    workspaceId: workspaceIdSchema,
    role: invitableRoleSchema,
    expiresInDays: z
      .number()
      .int()
      .min(1, "Expiry is at least 1 day.")
      .max(30, "Expiry is at most 30 days.")
      .default(7),
  })
  .strict();

export const updateMemberRoleInput = z
  .object({ workspaceId: workspaceIdSchema, userId: z.string().min(1).max(64), role: roleSchema })
  .strict();

export const auditQueryInput = z
  .object({
    workspaceId: workspaceIdSchema,
    actorId: z.string().max(64).optional(),
    action: z.string().max(80).optional(),
    from: z.coerce.date({ message: "Use a date like 2024-01-31 or an ISO timestamp." }).optional(),
    to: z.coerce.date({ message: "Use a date like 2024-01-31 or an ISO timestamp." }).optional(),
    cursor: z.number().int().positive().optional(),
    limit: z.number().int().min(1).max(200).default(50),
  })
  .strict();
