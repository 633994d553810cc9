import type { SelectHTMLAttributes } from "react";
import { fieldClass } from "./input";

export interface SelectOption {
  value: string;
  label: string;
}

/** A native select; pass `options` or your own `<option>` children. */
export function Select({
  options,
  className = "",
  children,
  ...rest
}: SelectHTMLAttributes<HTMLSelectElement> & { options?: readonly SelectOption[] }) {
  return (
    <select className={`${fieldClass} ${className}`} {...rest}>
      {options?.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
      {children}
    </select>
  );
}
