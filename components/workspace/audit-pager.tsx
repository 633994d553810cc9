import Link from "next/link";
import { buttonClass } from "@/components/ui/button";

/** Newer / Older links over the keyset-paginated audit trail (a disabled look at either end). */
export function AuditPager({
  basePath,
  newer,
  older,
}: {
  basePath: string;
  newer: string | null;
  older: string | null;
}) {
  const off = `${buttonClass("secondary", "sm")} pointer-events-none opacity-40`;
  return (
    <nav className="flex justify-between" aria-label="Audit pages">
      {newer ? (
        <Link href={basePath + newer} className={buttonClass("secondary", "sm")} data-testid="audit-newer">
          ← Newer
        </Link>
      ) : (
        <span className={off} aria-disabled="true">
          ← Newer
        </span>
      )}
      {older ? (
        <Link href={basePath + older} className={buttonClass("secondary", "sm")} data-testid="audit-older">
          Older →
        </Link>
      ) : (
        <span className={off} aria-disabled="true">
          Older →
        </span>
      )}
    </nav>
  );
}
