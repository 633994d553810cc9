/**
 * The layering rules of ARCHITECTURE.md / STYLE.md, checked mechanically over the source tree:
 * lib/ is framework-free (and its domain folders deterministic), components/ never imports server
 * code at run time, and server modules are marked server-only.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "..");

function files(dir: string, exts = [".ts", ".tsx"]): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (exts.some((e) => name.endsWith(e))) out.push(p);
    }
  };
  walk(path.join(ROOT, dir));
  return out;
}

const rel = (p: string) => path.relative(ROOT, p);
const importLines = (src: string) => src.split("\n").filter((l) => /^\s*(import|export)\s.*from\s+["']/.test(l) || /^\s*import\s+["']/.test(l));

describe("architecture", () => {
  it("lib/ imports no framework and no server code", () => {
    const banned = /from\s+["'](next|next\/.*|react|react-dom|@trpc\/.*|drizzle-orm.*|next-auth.*|@\/server\/.*|(\.\.\/)+server\/.*|@\/app\/.*|@\/components\/.*)["']/;
    const offenders = files("lib").flatMap((f) => importLines(readFileSync(f, "utf8")).filter((l) => banned.test(l)).map((l) => `${rel(f)}: ${l.trim()}`));
    expect(offenders).toEqual([]);
  });

  it("lib/ domain folders use no process.env, wall clock or global randomness", () => {
    const domain = ["engine", "indicators", "metrics", "data", "sdk", "lifecycle", "modes"].flatMap((d) => files(`lib/${d}`));
    const offenders = domain.flatMap((f) => {
      const code = readFileSync(f, "utf8")
        .replace(/\/\*[\s\S]*?\*\//g, "")
        .replace(/\/\/.*$/gm, "");
      return [/process\.env/, /Date\.now\(\)/, /Math\.random\(\)/, /new Date\(\)/].filter((re) => re.test(code)).map((re) => `${rel(f)}: ${re}`);
    });
    expect(offenders).toEqual([]);
  });

  it("components/ imports server code only as types", () => {
    const offenders = files("components").flatMap((f) =>
      importLines(readFileSync(f, "utf8"))
        .filter((l) => /from\s+["']@\/server\//.test(l) && !/^\s*import\s+type\s/.test(l))
        .map((l) => `${rel(f)}: ${l.trim()}`),
    );
    expect(offenders).toEqual([]);
  });

  it("server entry modules (services, API, auth, HTTP, db client) are marked server-only", () => {
    const entry = (f: string) => /^server\/(services|api|auth|http)\//.test(f) || f === "server/db/index.ts";
    const offenders = files("server")
      .filter((f) => entry(rel(f)))
      .filter((f) => {
        const src = readFileSync(f, "utf8");
        return !/^\s*import\s+["']server-only["'];/m.test(src) && !/@server-only-exempt/.test(src);
      })
      .map(rel);
    expect(offenders).toEqual([]);
  });
});
