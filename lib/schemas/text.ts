/**
 * Text that may reach the database. PostgreSQL refuses the NUL character (U+0000) in `text`
 * and `jsonb`, so input carrying one is refused up front with a 400 naming the field, instead of
 * failing inside a query (client-safe; used by tRPC, REST, route handlers and forms).
 */
import { z } from "zod";

export const NUL_MESSAGE = "must not contain the NUL character (\\u0000)";

/** Input quoted back in a message: JSON-quoted and cut after `max` characters (a 5,000-character name is not echoed whole). */
export function quoteInput(text: string, max = 80): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}

export function hasNul(text: string): boolean {
  return text.includes("\u0000");
}

/**
 * The dotted path of the first string (or object key) containing NUL inside a JSON-like value,
 * "" for the value itself, or null when there is none. Nesting deeper than `maxDepth` is not
 * searched (the schemas bound depth far below that).
 */
export function findNulPath(value: unknown, maxDepth = 64): string | null {
  const walk = (v: unknown, path: string, depth: number): string | null => {
    if (typeof v === "string") return hasNul(v) ? path : null;
    if (!v || typeof v !== "object" || depth > maxDepth) return null;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const hit = walk(v[i], path ? `${path}.${i}` : String(i), depth + 1);
        if (hit !== null) return hit;
      }
      return null;
    }
    for (const [k, inner] of Object.entries(v as Record<string, unknown>)) {
      const here = path ? `${path}.${k}` : k;
      if (hasNul(k)) return here.replaceAll("\u0000", "\\u0000");
      const hit = walk(inner, here, depth + 1);
      if (hit !== null) return hit;
    }
    return null;
  };
  return walk(value, "", 0);
}

/** "name must not contain …" (or "The input must not contain …" for the top-level value). */
export function nulProblem(path: string): string {
  return `${path || "The input"} ${NUL_MESSAGE}.`;
}

/** A string schema that refuses NUL; the base for free text fields. */
export const safeText = () => z.string().refine((s) => !hasNul(s), { message: `Text ${NUL_MESSAGE}.` });
