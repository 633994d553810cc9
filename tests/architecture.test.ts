/**
 * The layering rules of ARCHITECTURE.md / STYLE.md. Import direction is enforced by the linter
 * (`.oxlintrc.json`: no-restricted-imports per folder, import/no-cycle in server/, run by
 * `npm run lint`); this file proves those rules bite on a probe tree, and checks what a linter
 * rule does not express: lib/'s domain folders are deterministic and server modules are marked
 * server-only.
 */
import { execFileSync } from "node:child_process";
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
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

/** Runs oxlint with the project's config on a probe tree; returns the rule ids it reported. */
function lintProbe(files: Record<string, string>): string[] {
  const dir = mkdtempSync(path.join(tmpdir(), "lab-layering-"));
  try {
    copyFileSync(path.join(ROOT, ".oxlintrc.json"), path.join(dir, ".oxlintrc.json"));
    writeFileSync(
      path.join(dir, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { baseUrl: ".", paths: { "@/*": ["./*"] } } }),
    );
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), text);
    }
    const bin = path.join(ROOT, "node_modules", ".bin", "oxlint");
    let out = "";
    try {
      out = execFileSync(bin, ["-f", "json", "."], { cwd: dir, encoding: "utf8" });
    } catch (err) {
      out = String((err as { stdout?: string }).stdout ?? "");
    }
    const report = JSON.parse(out) as { diagnostics: { code: string; filename: string }[] };
    return report.diagnostics.map((d) => `${d.filename.replace(/^\.\//, "")}: ${d.code}`).sort();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("architecture", () => {
  it("the linter refuses imports against the layering and import cycles in server/", () => {
    const found = lintProbe({
      "server/db/index.ts": "export const db = 1;\n",
      "lib/engine/bad.ts":
        'import { db } from "@/server/db";\nimport { useState } from "react";\nexport const x = [db, useState];\n',
      "lib/engine/good.ts": 'import { x } from "./bad";\nexport const y = x;\n',
      "components/bad.tsx": 'import { db } from "@/server/db";\nexport const x = db;\n',
      "components/good.tsx": 'import type { Db } from "@/server/db/types";\nexport const x: Db | null = null;\n',
      "server/db/types.ts": "export type Db = number;\n",
      "server/a.ts": 'import { b } from "./b";\nexport const a = () => b;\n',
      "server/b.ts": 'import { a } from "./a";\nexport const b = () => a;\n',
      "server/c.ts": 'import type { a } from "./d";\nexport const c = 1;\nexport type A = typeof a;\n',
      "server/d.ts": 'import { c } from "./c";\nexport const a = c;\n',
    });
    expect(found.filter((f) => f.includes("no-restricted-imports"))).toEqual([
      "components/bad.tsx: eslint(no-restricted-imports)",
      "lib/engine/bad.ts: eslint(no-restricted-imports)",
      "lib/engine/bad.ts: eslint(no-restricted-imports)",
    ]);
    expect(found.filter((f) => f.includes("no-cycle"))).toEqual([
      "server/a.ts: import(no-cycle)",
      "server/b.ts: import(no-cycle)",
    ]);
  });

  it("lib/ domain folders use no process.env, wall clock or global randomness", () => {
    // Every folder of lib/ is domain code (lib/env.ts, the one reader of the environment, sits at the top).
    const domain = readdirSync(path.join(ROOT, "lib"), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .flatMap((d) => files(`lib/${d.name}`));
    const offenders = domain.flatMap((f) => {
      const code = readFileSync(f, "utf8")
        .replace(/\/\*[\s\S]*?\*\//g, "")
        .replace(/\/\/.*$/gm, "");
      return [/process\.env/, /Date\.now\(\)/, /Math\.random\(\)/, /new Date\(\)/]
        .filter((re) => re.test(code))
        .map((re) => `${rel(f)}: ${re}`);
    });
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
