import type { ReactNode } from "react";

/** A centred message for lists with nothing in them (or pages the user may not see). */
export function EmptyState({
  title,
  children,
  action,
  ...rest
}: {
  title: string;
  children?: ReactNode;
  action?: ReactNode;
  "data-testid"?: string;
}) {
  return (
    <div className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-10 text-center" {...rest}>
      <p className="font-medium">{title}</p>
      {children ? <div className="mt-1 text-sm text-slate-500">{children}</div> : null}
      {action ? <div className="mt-4">{action}</div> : null}
    </div>
  );
}
