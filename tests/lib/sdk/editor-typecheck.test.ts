/**
 * Every example strategy and a sample of offline-generated ones type-check against the SDK
 * declarations the editor receives, with zero diagnostics — once with the `tsc` CLI (the
 * declarations at node_modules/@strategy-lab/sdk like the editor registers them) and once
 * through Monaco's own TypeScript worker with the editor's compiler options.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateFromRequest } from "@/lib/rules";
import { EXAMPLES } from "@/lib/sdk/examples";
import { EDITOR_COMPILER_OPTIONS, SDK_DTS, SDK_DTS_PATH } from "@/lib/sdk/sdk-dts";

const corpus = JSON.parse(readFileSync("tests/fixtures/rules/generation-corpus.json", "utf8")) as {
  groups: { requests: string[] }[];
};
const requests = corpus.groups.flatMap((g) => g.requests).filter((_, k) => k % 6 === 0);
const generated = requests.map((r) => generateFromRequest(r).code).filter((c): c is string => c !== null);
const sources: Record<string, string> = {
  ...Object.fromEntries(Object.entries(EXAMPLES).map(([name, e]) => [`example-${name}.ts`, e.source])),
  ...Object.fromEntries(generated.map((code, k) => [`generated-${k}.ts`, code])),
};
/** A generated strategy with a wrong `name` and `description`: the check must flag exactly those lines. */
const wrong = generated[0]
  .replace(/ {2}name: "[^"]*",/, "  name: 42,")
  .replace(/ {2}description: "[^"]*",/, "  description: false,");

describe("editor type-check of strategies", () => {
  it("has a real sample", () => {
    expect(generated.length).toBeGreaterThanOrEqual(30);
    expect(Object.keys(EXAMPLES).length).toBeGreaterThanOrEqual(7);
  });

  it("passes the tsc CLI with zero diagnostics (and flags a wrong name and description)", () => {
    const dir = mkdtempSync(join(tmpdir(), "editor-dts-"));
    try {
      mkdirSync(join(dir, "node_modules/@strategy-lab/sdk"), { recursive: true });
      writeFileSync(join(dir, "node_modules/@strategy-lab/sdk/index.d.ts"), SDK_DTS);
      for (const [name, code] of Object.entries(sources)) writeFileSync(join(dir, name), code);
      writeFileSync(join(dir, "wrong-name.ts"), wrong);
      const compilerOptions = {
        strict: true,
        noEmit: true,
        target: "esnext",
        module: "esnext",
        moduleResolution: "bundler",
        types: [],
      };
      writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, include: ["*.ts"] }));
      const run = spawnSync("npx", ["tsc", "-p", join(dir, "tsconfig.json")], { cwd: process.cwd(), encoding: "utf8" });
      const errors = run.stdout.split("\n").filter((l) => l.includes("error TS"));
      expect(
        errors.filter((l) => !l.startsWith("wrong-name.ts") && !l.includes("/wrong-name.ts")),
        "zero diagnostics",
      ).toEqual([]);
      const flagged = errors.filter((l) => l.includes("wrong-name.ts")).map((l) => Number(/\((\d+),/.exec(l)?.[1]));
      const lineOf = (re: RegExp) => wrong.split("\n").findIndex((l) => re.test(l)) + 1;
      expect(flagged.sort(), "the check sees a wrong name and description").toEqual(
        [lineOf(/^ {2}name: 42/), lineOf(/^ {2}description: false/)].sort(),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it("passes Monaco's TypeScript worker with the editor's options and zero diagnostics", async () => {
    // Monaco's worker module ships no declarations; it is loaded by name and typed here.
    const workerModule: string = "monaco-editor/languages/features/typescript/tsWorker";
    const { TypeScriptWorker } = (await import(/* @vite-ignore */ workerModule)) as {
      TypeScriptWorker: new (
        ctx: unknown,
        data: unknown,
      ) => {
        getSyntacticDiagnostics(f: string): Promise<{ start?: number; messageText: unknown }[]>;
        getSemanticDiagnostics(f: string): Promise<{ start?: number; messageText: unknown }[]>;
      };
    };
    const all = { ...sources, "wrong-name.ts": wrong };
    const models = Object.entries(all).map(([name, code]) => ({
      uri: { toString: () => `file:///${name}`, path: `/${name}` },
      version: 1,
      getValue: () => code,
    }));
    const worker = new TypeScriptWorker(
      { getMirrorModels: () => models },
      {
        compilerOptions: EDITOR_COMPILER_OPTIONS,
        extraLibs: { [SDK_DTS_PATH]: { content: SDK_DTS, version: 1 } },
        inlayHintsOptions: {},
      },
    );
    const problems: string[] = [];
    let wrongLines: number[] = [];
    for (const [name, code] of Object.entries(all)) {
      const file = `file:///${name}`;
      const diags = [...(await worker.getSyntacticDiagnostics(file)), ...(await worker.getSemanticDiagnostics(file))];
      const lines = diags.map((d) => code.slice(0, d.start ?? 0).split("\n").length);
      if (name === "wrong-name.ts") wrongLines = lines;
      else problems.push(...diags.map((d, k) => `${name}:${lines[k]} ${JSON.stringify(d.messageText).slice(0, 200)}`));
    }
    expect(problems, "zero diagnostics in the editor").toEqual([]);
    expect(wrongLines.length, "the editor flags a wrong name and description").toBe(2);
  }, 120_000);
});
