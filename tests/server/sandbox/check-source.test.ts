import { describe, expect, it } from "vitest";
import { checkStrategySource } from "@/server/sandbox";
import { TINY } from "./helpers";

function errorsOf(source: string) {
  const r = checkStrategySource(source);
  if (r.ok) throw new Error("expected the source to be rejected");
  return r.errors;
}

describe("checkStrategySource", () => {
  it("accepts a normal strategy and returns JavaScript with the same line count", () => {
    const r = checkStrategySource(TINY);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.js.split("\n").length).toBe(TINY.split("\n").length);
  });

  it("points at the user's line and column past stripped type annotations", () => {
    const src = [
      'import { defineStrategy } from "@strategy-lab/sdk";',
      "type Params = { fast: number };",
      "export default defineStrategy({ name: 'x', params: {}, signals(bars: { close: Float64Array }, p: Params) {",
      "    const n: number = bars.close.length; const t: number = eval('1');",
      "    return { entries: new Uint8Array(n), exits: new Uint8Array(n) };",
      "} });",
    ].join("\n");
    const errors = errorsOf(src);
    expect(errors).toHaveLength(1);
    const col = src.split("\n")[3].indexOf("eval") + 1;
    expect(errors[0], "eval sits on line 4 of the TypeScript").toMatchObject({ line: 4, column: col });
    expect(errors[0].message).toMatch(/eval/);
  });

  it("reports a syntax error at its TypeScript position", () => {
    const src =
      'import { defineStrategy } from "@strategy-lab/sdk";\nconst x: number = (;\nexport default defineStrategy({});\n';
    const [err] = errorsOf(src);
    expect(err.line).toBe(2);
    expect(err.column).toBe(20);
  });

  it("lists every finding in source order", () => {
    const src =
      'import fs from "node:fs";\nimport { defineStrategy } from "@strategy-lab/sdk";\nconst a = process.env;\nconst b = globalThis;\nexport default defineStrategy({});\n';
    const errors = errorsOf(src);
    expect(errors.map((e) => e.line)).toEqual([1, 3, 4]);
    expect(errors[0].message).toMatch(/only "@strategy-lab\/sdk" can be imported/);
  });

  const rejected: [string, string, RegExp][] = [
    ["require", 'const fs = require("fs");', /require/],
    ["dynamic import", 'const m = import("fs");', /dynamic import/],
    ["import.meta", "const u = import.meta.url;", /import\.meta/],
    ["Function constructor", 'const f = new Function("return 1");', /Function/],
    ["constructor chain", 'const f = (() => 1).constructor("return process")();', /constructor/],
    ["computed constructor", 'const f = [][`constructor`]["constructor"];', /constructor/],
    ["__proto__", "const o: any = {}; o.__proto__.x = 1;", /__proto__/],
    ["__proto__ literal", "const o = { __proto__: null };", /__proto__/],
    ["prototype pollution", "(Array as any).prototype.map = null;", /prototype/],
    ["getPrototypeOf", "const p = Object.getPrototypeOf(() => 1);", /getPrototypeOf/],
    ["destructured constructor", "const { constructor: C } = (() => 1) as any;", /constructor/],
    ["Reflect", "const k = Reflect.ownKeys({});", /Reflect/],
    ["Proxy", "const p = new Proxy({}, {});", /Proxy/],
    ["globalThis", "const g = globalThis;", /globalThis/],
    ["process", "const e = process.env;", /process/],
    ["self", "const s = self;", /self/],
    ["WebAssembly", "const w = WebAssembly.Memory;", /WebAssembly/],
    ["SharedArrayBuffer", "const s = new SharedArrayBuffer(8);", /SharedArrayBuffer/],
    ["Atomics", "Atomics.wait(new Int32Array(4), 0, 0);", /Atomics/],
    ["setTimeout", "setTimeout(() => 1, 10);", /timers/],
    ["Promise", "Promise.resolve(1);", /promises/],
    ["async function", "async function f() { return 1; }", /async/],
    ["await", "const f = async () => { await 1; };", /async|await/],
    ["debugger", "debugger;", /debugger/],
    ["module.exports", "module.exports = {};", /module/],
  ];
  it.each(rejected)("rejects %s", (_label, line, message) => {
    const src = `import { defineStrategy } from "@strategy-lab/sdk";\n${line}\nexport default defineStrategy({ name: "x", params: {}, signals() { return null as any; } });\n`;
    const errors = errorsOf(src);
    expect(errors[0].line).toBe(2);
    expect(
      errors.some((e) => message.test(e.message)),
      JSON.stringify(errors),
    ).toBe(true);
  });

  it("allows property names that merely look dangerous as object keys and plain identifiers", () => {
    const src = `import { defineStrategy } from "@strategy-lab/sdk";
class Ranker { constructor(readonly k: number) {} }
const cfg = { process: 1, eval: 2, window: 3 };
export default defineStrategy({ name: "x", params: {}, signals(bars) {
  const r = new Ranker(cfg.window);
  const n = bars.close.length;
  return { entries: new Uint8Array(n), exits: new Uint8Array(n).fill(r.k > 5 ? 1 : 0) };
} });
`;
    expect(checkStrategySource(src).ok).toBe(true);
  });

  it("requires a default export", () => {
    const [err] = errorsOf('import { defineStrategy } from "@strategy-lab/sdk";\nconst x = 1;\n');
    expect(err.message).toMatch(/export default/);
  });
});

describe("determinism rules", () => {
  const wrap = (body: string) =>
    `import { defineStrategy } from "@strategy-lab/sdk";\nexport default defineStrategy({ name: "d", params: {}, signals(bars) {\n  ${body}\n  return { entries: new Uint8Array(bars.close.length), exits: new Uint8Array(bars.close.length) };\n} });\n`;
  it.each([
    ["const r = Math.random();", /Math\.random/],
    ["const t = Date.now();", /Date\.now/],
    ["const d = new Date();", /reads the clock/],
  ])("refuses %s", (body, message) => {
    const errors = errorsOf(wrap(body));
    expect(errors[0].line).toBe(3);
    expect(errors[0].message).toMatch(message);
  });
  it("allows dates built from the bars' timestamps", () => {
    expect(checkStrategySource(wrap("const d = new Date(bars.timestamps[0]).getUTCDay();")).ok).toBe(true);
  });
});
