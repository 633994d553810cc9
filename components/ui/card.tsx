import type { HTMLAttributes, ReactNode } from "react";
import { PANEL_HINT } from "./panel-hint";

/**
 * A white panel with an optional title row. With `data-panel` it is a stop of the page's panel
 * shortcuts (Alt+] / Alt+[, components/lab/use-shortcuts.ts): focusable, its title says so.
 */
export function Card({
  title,
  description,
  actions,
  className = "",
  children,
  ...rest
}: HTMLAttributes<HTMLElement> & {
  title?: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  "data-panel"?: string;
}) {
  const panel = rest["data-panel"] !== undefined;
  return (
    <section
      className={`rounded-lg border border-slate-200 bg-white p-5 shadow-sm ${className}`}
      tabIndex={panel ? -1 : undefined}
      aria-keyshortcuts={panel ? "Alt+BracketRight Alt+BracketLeft" : undefined}
      {...rest}
    >
      {title || actions ? (
        <header className="mb-4 flex items-start justify-between gap-4">
          <div>
            {title ? (
              <h2 className="text-base font-semibold" title={panel ? PANEL_HINT : undefined}>
                {title}
              </h2>
            ) : null}
            {description ? <p className="mt-1 text-sm text-slate-500">{description}</p> : null}
          </div>
          {actions}
        </header>
      ) : null}
      {children}
    </section>
  );
}
