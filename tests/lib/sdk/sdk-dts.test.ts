import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ta } from "@/lib/indicators";
import * as runtime from "@/lib/sdk/runtime";
import { EXAMPLES } from "@/lib/sdk/examples";
import { SDK_DTS } from "@/lib/sdk/sdk-dts";

/** Names declared as members of `interface Ta { … }` in the declaration text. */
function declaredTaKeys(): string[] {
  const start = SDK_DTS.indexOf("export interface Ta {");
  const end = SDK_DTS.indexOf("\n  }", start);
  const body = SDK_DTS.slice(start, end);
  return [...body.matchAll(/^\s{4}(\w+)\(/gm)].map((m) => m[1]);
}

describe("SDK_DTS", () => {
  it("declares exactly the indicators in the runtime's ta object", () => {
    expect(declaredTaKeys().sort()).toEqual(Object.keys(ta).sort());
  });

  it("declares every value the runtime module exports", () => {
    for (const name of Object.keys(runtime)) {
      const declared = new RegExp(`export (function|const) ${name}\\b`).test(SDK_DTS);
      expect(declared, `${name} is exported by lib/sdk/runtime.ts but not declared`).toBe(true);
    }
  });

  it("declares the module under its import name and balances its braces", () => {
    expect(SDK_DTS.startsWith('declare module "@strategy-lab/sdk" {')).toBe(true);
    const opens = SDK_DTS.split("{").length;
    const closes = SDK_DTS.split("}").length;
    expect(opens).toBe(closes);
  });
});

describe("SDK_DTS against the examples", () => {
  it("type-checks every example strategy and rejects a wrong use, as the editor would", () => {
    const dir = mkdtempSync(join(tmpdir(), "sdk-dts-"));
    try {
      writeFileSync(join(dir, "sdk.d.ts"), SDK_DTS);
      for (const [name, example] of Object.entries(EXAMPLES)) writeFileSync(join(dir, `${name}.ts`), example.source);
      writeFileSync(
        join(dir, "wrong.ts"),
        `import { defineStrategy } from "@strategy-lab/sdk";
export default defineStrategy({
  name: "wrong",
  params: { n: { type: "int", min: 1, max: 9, default: 2 }, on: { type: "boolean", default: true } },
  signals(bars, p, ta) {
    const label: string = p.n;
    const flag: number = p.on;
    return { entries: ta.notAnIndicator(bars.close), exits: [] };
  },
});
`,
      );
      const compilerOptions = {
        strict: true,
        noEmit: true,
        target: "ES2023",
        lib: ["ES2023"],
        module: "esnext",
        moduleResolution: "bundler",
        types: [],
      };
      writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, include: ["*.ts"] }));
      const run = spawnSync("npx", ["tsc", "-p", join(dir, "tsconfig.json")], { cwd: process.cwd(), encoding: "utf8" });
      const errors = run.stdout.split("\n").filter((l) => l.includes("error TS"));
      expect(
        errors.filter((l) => !l.includes("wrong.ts")),
        "examples must compile against the declarations",
      ).toEqual([]);
      const wrong = errors.filter((l) => l.includes("wrong.ts")).join("\n");
      expect(wrong).toMatch(/Type 'number' is not assignable to type 'string'/);
      expect(wrong).toMatch(/Type 'boolean' is not assignable to type 'number'/);
      expect(wrong).toMatch(/Property 'notAnIndicator' does not exist/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
