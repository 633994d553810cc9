import { PERMISSIONS, ROLES, can, type Role } from "@/lib/roles";
import { Table, Td, Th } from "@/components/ui/table";

/** What each role may do, straight from lib/roles.ts; the viewer's own column is highlighted. */
export function RoleMatrixTable({ highlight }: { highlight?: Role }) {
  return (
    <Table data-testid="role-matrix">
      <thead>
        <tr>
          <Th>Permission</Th>
          {ROLES.map((r) => (
            <Th key={r} className={`text-center ${r === highlight ? "bg-slate-100 text-slate-900" : ""}`}>
              {r}
            </Th>
          ))}
        </tr>
      </thead>
      <tbody>
        {PERMISSIONS.map((p) => (
          <tr key={p}>
            <Td>
              <code className="text-xs">{p}</code>
            </Td>
            {ROLES.map((r) => (
              <Td
                key={r}
                className={`text-center ${r === highlight ? "bg-slate-50" : ""}`}
                aria-label={can(r, p) ? "allowed" : "not allowed"}
              >
                {can(r, p) ? "✓" : ""}
              </Td>
            ))}
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
