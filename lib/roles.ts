/**
 * Workspace roles and what each may do: the single source of the permission matrix
 * (printed in README.md). API-key scopes map onto the same permission strings.
 */
export const ROLES = ["owner", "admin", "member", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  "workspace.read",
  "strategies.read",
  "strategies.write",
  "runs.read",
  "runs.create",
  "reports.publish",
  "alerts.write",
  "members.read",
  "members.manage",
  "invites.manage",
  "api_keys.manage",
  "channels.manage",
  "settings.manage",
  "audit.read",
  "strategies.approve",
  "workspace.delete",
  "workspace.transfer",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const VIEWER = [
  "workspace.read",
  "strategies.read",
  "runs.read",
  "members.read",
] as const satisfies readonly Permission[];
const MEMBER = [
  ...VIEWER,
  "strategies.write",
  "runs.create",
  "reports.publish",
  "alerts.write",
] as const satisfies readonly Permission[];
const ADMIN = [
  ...MEMBER,
  "members.manage",
  "invites.manage",
  "api_keys.manage",
  "channels.manage",
  "settings.manage",
  "audit.read",
  "strategies.approve",
] as const satisfies readonly Permission[];
const OWNER = [...ADMIN, "workspace.delete", "workspace.transfer"] as const satisfies readonly Permission[];

export const ROLE_PERMISSIONS = {
  owner: OWNER,
  admin: ADMIN,
  member: MEMBER,
  viewer: VIEWER,
} as const satisfies Record<Role, readonly Permission[]>;

/** Rank used for "may not grant more than you have": owner 3 … viewer 0. */
export const ROLE_RANK: Record<Role, number> = { owner: 3, admin: 2, member: 1, viewer: 0 };

export function can(role: Role, permission: Permission): boolean {
  return (ROLE_PERMISSIONS[role] as readonly Permission[]).includes(permission);
}

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/** API-key scopes: each grants the permissions of a role-like bundle, never owner-only ones. */
export const API_KEY_SCOPES = ["read", "run", "admin"] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];
export const SCOPE_PERMISSIONS = {
  read: VIEWER,
  run: ["strategies.write", "runs.create", "reports.publish", "alerts.write"],
  admin: [
    "members.manage",
    "invites.manage",
    "api_keys.manage",
    "channels.manage",
    "settings.manage",
    "audit.read",
    "strategies.approve",
  ],
} as const satisfies Record<ApiKeyScope, readonly Permission[]>;

/** The matrix as a Markdown table (README and tests use it). */
export function permissionMatrixMarkdown(): string {
  const head = `| permission | ${ROLES.join(" | ")} |\n|---|${ROLES.map(() => "---").join("|")}|`;
  const rows = PERMISSIONS.map((p) => `| \`${p}\` | ${ROLES.map((r) => (can(r, p) ? "✓" : "")).join(" | ")} |`);
  return [head, ...rows].join("\n");
}
