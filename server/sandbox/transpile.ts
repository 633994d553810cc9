import { transform } from "sucrase";
import { SandboxError } from "./errors";
import { decodeMappings, type LineMappings } from "./source-map";

/** A strategy turned into JavaScript two ways; both keep the user's line numbers. */
export interface TranspiledStrategy {
  /** ES module JavaScript (types stripped, imports kept) — what the static checks read. */
  moduleJs: string;
  moduleMap: LineMappings;
  /** CommonJS JavaScript (imports turned into `require`) — what the isolate runs. */
  commonJs: string;
  commonMap: LineMappings;
}

/** Largest accepted strategy source, in characters. */
export const MAX_SOURCE_CHARS = 200_000;

function run(
  source: string,
  transforms: ("typescript" | "imports")[],
  keepUnusedImports: boolean,
): { code: string; map: LineMappings } {
  const out = transform(source, {
    transforms,
    filePath: "strategy.ts",
    sourceMapOptions: { compiledFilename: "strategy.js" },
    disableESTransforms: true,
    keepUnusedImports,
  });
  return { code: out.code, map: decodeMappings(out.sourceMap?.mappings ?? "") };
}

/**
 * Strips TypeScript from a strategy. Syntax errors become an INVALID_SOURCE
 * {@link SandboxError} with the user's line and column.
 */
export function transpileStrategy(source: string): TranspiledStrategy {
  if (typeof source !== "string" || source.trim() === "")
    throw new SandboxError("INVALID_SOURCE", "The strategy source is empty.", { line: 1, column: 1 });
  if (source.length > MAX_SOURCE_CHARS)
    throw new SandboxError("INVALID_SOURCE", `The strategy source is longer than ${MAX_SOURCE_CHARS} characters.`, {
      line: 1,
      column: 1,
    });
  try {
    // The checked form keeps unused value imports, so `import fs from "node:fs"` is refused even if unused.
    const esm = run(source, ["typescript"], true);
    const cjs = run(source, ["typescript", "imports"], false);
    return { moduleJs: esm.code, moduleMap: esm.map, commonJs: cjs.code, commonMap: cjs.map };
  } catch (err) {
    const loc = (err as { loc?: { line?: number; column?: number } }).loc;
    const line = loc?.line ?? 1;
    const column = loc?.column ?? 1;
    const reason = err instanceof Error ? err.message.replace(/\s*\(\d+:\d+\)\s*$/, "") : "syntax error";
    const message = `Syntax error at line ${line}, column ${column}: ${reason}.`;
    throw new SandboxError("INVALID_SOURCE", message, { line, column, errors: [{ line, column, message }] });
  }
}
