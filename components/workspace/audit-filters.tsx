import Link from "next/link";
import { Button, buttonClass } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { DEFAULT_AUDIT_PAGE_SIZE, type AuditSearch } from "./audit-query";

export const KNOWN_AUDIT_ACTIONS = [
  "workspace.created",
  "workspace.renamed",
  "workspace.deleted",
  "workspace.ownership_transferred",
  "invite.created",
  "invite.accepted",
  "invite.revoked",
  "member.role_changed",
  "member.removed",
  "member.left",
  "api_key.created",
  "api_key.revoked",
  "strategy.created",
  "strategy.version_created",
  "strategy.state_changed",
  "strategy.archived",
  "run.created",
  "run.cancelled",
  "report.published",
  "report.revoked",
] as const;

/** A plain GET form: filters live in the URL, so a filtered view can be shared and reloaded. */
export function AuditFilters({
  search,
  actors,
  basePath,
}: {
  search: AuditSearch;
  actors: readonly { userId: string; email: string | null }[];
  basePath: string;
}) {
  return (
    <form
      method="get"
      action={basePath}
      className="grid items-end gap-3 sm:grid-cols-2 lg:grid-cols-[1fr_1fr_10rem_10rem_auto]"
      data-testid="audit-filters"
    >
      <Field label="Actor" htmlFor="audit-actor">
        <Select id="audit-actor" name="actor" defaultValue={search.actor} data-testid="audit-filter-actor">
          <option value="">Anyone</option>
          {actors.map((a) => (
            <option key={a.userId} value={a.userId}>
              {a.email ?? a.userId}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Action" htmlFor="audit-action">
        <Input
          id="audit-action"
          name="action"
          list="audit-actions"
          placeholder="e.g. member.role_changed"
          defaultValue={search.action}
          data-testid="audit-filter-action"
        />
        <datalist id="audit-actions">
          {KNOWN_AUDIT_ACTIONS.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </datalist>
      </Field>
      <Field label="From (UTC)" htmlFor="audit-from">
        <Input id="audit-from" name="from" type="date" defaultValue={search.from} data-testid="audit-filter-from" />
      </Field>
      <Field label="To (UTC)" htmlFor="audit-to">
        <Input id="audit-to" name="to" type="date" defaultValue={search.to} data-testid="audit-filter-to" />
      </Field>
      {search.size !== DEFAULT_AUDIT_PAGE_SIZE ? <input type="hidden" name="size" value={search.size} /> : null}
      <div className="flex gap-2">
        <Button type="submit" data-testid="audit-filter-apply">
          Filter
        </Button>
        <Link href={basePath} className={buttonClass("ghost")} data-testid="audit-filter-reset">
          Reset
        </Link>
      </div>
    </form>
  );
}
