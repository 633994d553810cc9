/**
 * "Save these params as a new version": rewrite the `default:` of each named param declaration in
 * a strategy's source, leaving everything else byte for byte. The declaration is found as
 * `name: { … default: <literal> … }` (no nested braces); a param that cannot be found this way,
 * or appears more than once, is an error rather than a guess.
 */
import type { ParamValue } from "./space";

export class DefaultsRewriteError extends Error {
  constructor(
    readonly param: string,
    message: string,
  ) {
    super(message);
    this.name = "DefaultsRewriteError";
  }
}

function literal(v: ParamValue): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "boolean") return v ? "true" : "false";
  if (!Number.isFinite(v)) throw new DefaultsRewriteError(String(v), `default must be a finite number, got ${v}`);
  return String(v);
}

/** The source with every given param's default replaced. */
export function withParamDefaults(source: string, params: Record<string, ParamValue>): string {
  let out = source;
  for (const [name, value] of Object.entries(params)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new DefaultsRewriteError(name, `"${name}" is not a param name`);
    const re = new RegExp(
      `(["']?\\b${name}\\b["']?\\s*:\\s*\\{[^{}]*?\\bdefault\\s*:\\s*)("(?:[^"\\\\]|\\\\.)*"|'(?:[^'\\\\]|\\\\.)*'|[^,}\\s]+)`,
      "g",
    );
    const hits = [...out.matchAll(re)];
    if (hits.length === 0)
      throw new DefaultsRewriteError(
        name,
        `could not find the declaration of param "${name}" with a default in the source`,
      );
    if (hits.length > 1)
      throw new DefaultsRewriteError(name, `param "${name}" is declared more than once in the source`);
    out = out.replace(re, (_m, head: string) => head + literal(value));
  }
  return out;
}
