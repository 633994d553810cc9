"use client";
/** A form built from the strategy's `params` declarations (int/float/boolean/enum). */
import type { ParamSpecJson, ParamValues } from "./types";

export function defaultValues(specs: Record<string, ParamSpecJson>): ParamValues {
  return Object.fromEntries(Object.entries(specs).map(([k, s]) => [k, s.default]));
}

export function ParamForm({
  specs,
  values,
  onChange,
  disabled,
}: {
  specs: Record<string, ParamSpecJson>;
  values: ParamValues;
  onChange(v: ParamValues): void;
  disabled?: boolean;
}) {
  const entries = Object.entries(specs);
  if (entries.length === 0) return <p className="text-sm text-slate-500">This strategy declares no parameters.</p>;
  return (
    <div className="grid grid-cols-1 gap-3 sm:grid-cols-2" data-testid="param-form">
      {entries.map(([name, spec]) => {
        const value = values[name] ?? spec.default;
        const set = (v: number | boolean | string) => onChange({ ...values, [name]: v });
        return (
          <label key={name} className="flex flex-col gap-1 text-sm" title={spec.description}>
            <span className="font-medium">
              {name}
              {spec.description ? <span className="ml-1 font-normal text-slate-500">— {spec.description}</span> : null}
            </span>
            {spec.type === "boolean" ? (
              <input
                type="checkbox"
                checked={Boolean(value)}
                disabled={disabled}
                onChange={(e) => set(e.target.checked)}
                className="h-4 w-4"
              />
            ) : spec.type === "enum" ? (
              <select
                value={String(value)}
                disabled={disabled}
                onChange={(e) => set(e.target.value)}
                className="rounded-md border border-slate-300 px-2 py-1"
              >
                {spec.options.map((o) => (
                  <option key={o}>{o}</option>
                ))}
              </select>
            ) : (
              <input
                type="number"
                data-testid={`param-${name}`}
                min={spec.min}
                max={spec.max}
                step={spec.step ?? (spec.type === "int" ? 1 : "any")}
                value={String(value)}
                disabled={disabled}
                onChange={(e) => set(e.target.value === "" ? spec.default : Number(e.target.value))}
                className="rounded-md border border-slate-300 px-2 py-1"
              />
            )}
          </label>
        );
      })}
    </div>
  );
}
