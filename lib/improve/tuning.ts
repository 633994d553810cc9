/** The per-iteration parameter study's search space, and writing tuned values back as the source's defaults. */
import type { Params } from "@/lib/optimize/space";
import type { ParamSpecs } from "@/lib/sdk/types";

/**
 * Ranges around the current values: ± half the value (at least 5 % of the declared range), inside
 * the declared range and on its step grid. Booleans and enums are held at their current value.
 */
export function studyRanges(
  specs: ParamSpecs,
  current: Params,
): Record<string, { min: number; max: number; step?: number }> {
  const out: Record<string, { min: number; max: number; step?: number }> = {};
  for (const [name, s] of Object.entries(specs)) {
    if (s.type !== "int" && s.type !== "float") continue;
    const v = typeof current[name] === "number" ? (current[name] as number) : s.default;
    const span = Math.max(Math.abs(v) * 0.5, (s.max - s.min) * 0.05);
    let lo = Math.max(s.min, v - span);
    let hi = Math.min(s.max, v + span);
    const step = s.type === "int" ? (s.step ?? 1) : s.step;
    if (step !== undefined) {
      lo = s.min + Math.ceil((lo - s.min) / step - 1e-9) * step;
      hi = s.min + Math.floor((hi - s.min) / step + 1e-9) * step;
      lo = Number(lo.toPrecision(12));
      hi = Number(hi.toPrecision(12));
    }
    if (!(hi > lo)) continue;
    out[name] =
      step !== undefined && s.type === "float"
        ? { min: lo, max: hi, step }
        : s.type === "int" && s.step
          ? { min: lo, max: hi, step }
          : { min: lo, max: hi };
  }
  return out;
}

const literal = (x: Params[string]) =>
  typeof x === "number" ? String(Number(x.toPrecision(10))) : typeof x === "string" ? JSON.stringify(x) : String(x);

/**
 * The source with each param's `default:` set to the given value, where the declaration
 * `name: { … default: X … }` occurs exactly once; other params are left as they are.
 */
export function withDefaults(source: string, params: Params): string {
  let out = source;
  for (const [name, value] of Object.entries(params)) {
    if (!/^[A-Za-z_$][\w$]*$/.test(name)) continue;
    const re = new RegExp(
      `(\\b${name}\\s*:\\s*\\{[^{}]*?\\bdefault\\s*:\\s*)(-?\\d+(?:\\.\\d+)?(?:e[+-]?\\d+)?|true|false|"[^"]*"|'[^']*')`,
      "g",
    );
    const matches = out.match(re);
    if (!matches || matches.length !== 1) continue;
    out = out.replace(re, (_m, head: string) => `${head}${literal(value)}`);
  }
  return out;
}
