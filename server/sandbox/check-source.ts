import { SandboxError, type SourceError } from "./errors";
import type { LineMappings } from "./source-map";
import { checkModuleAst } from "./static-check";
import { transpileStrategy } from "./transpile";

/** Source that passed every static check, ready for the isolate. */
export interface PreparedStrategy {
  /** CommonJS JavaScript, same line numbers as the user's source. */
  js: string;
  /** Maps positions in `js` back to the user's source. */
  map: LineMappings;
}

const CACHE_LIMIT = 64;
const cache = new Map<string, PreparedStrategy | SourceError[]>();

function analyse(source: string): PreparedStrategy | SourceError[] {
  let transpiled;
  try {
    transpiled = transpileStrategy(source);
  } catch (err) {
    if (err instanceof SandboxError)
      return err.errors ?? [{ line: err.line ?? 1, column: err.column ?? 1, message: err.message }];
    throw err;
  }
  const errors = checkModuleAst(transpiled.moduleJs, transpiled.moduleMap);
  if (errors.length === 0 && !/^\s*export\s+default\b/m.test(transpiled.moduleJs))
    errors.push({ line: 1, column: 1, message: "the module must `export default defineStrategy({ … })`" });
  return errors.length > 0 ? errors : { js: transpiled.commonJs, map: transpiled.commonMap };
}

function analyseCached(source: string): PreparedStrategy | SourceError[] {
  const hit = cache.get(source);
  if (hit) return hit;
  const result = analyse(source);
  if (cache.size >= CACHE_LIMIT) {
    const oldest = cache.keys().next();
    if (!oldest.done) cache.delete(oldest.value);
  }
  cache.set(source, result);
  return result;
}

/**
 * Transpiles a strategy and runs the static checks without executing anything.
 * Errors carry the line and column in the user's TypeScript source.
 */
export function checkStrategySource(source: string): { ok: true; js: string } | { ok: false; errors: SourceError[] } {
  const result = analyseCached(source);
  return Array.isArray(result) ? { ok: false, errors: result } : { ok: true, js: result.js };
}

/** Like {@link checkStrategySource} but throws an INVALID_SOURCE {@link SandboxError}. */
export function prepareStrategyOrThrow(source: string): PreparedStrategy {
  const result = analyseCached(source);
  if (!Array.isArray(result)) return result;
  const first = result[0];
  const more = result.length > 1 ? ` (and ${result.length - 1} more problem${result.length > 2 ? "s" : ""})` : "";
  throw new SandboxError("INVALID_SOURCE", `Line ${first.line}, column ${first.column}: ${first.message}${more}.`, {
    line: first.line,
    column: first.column,
    errors: result,
  });
}
