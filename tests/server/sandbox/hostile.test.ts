import { afterAll, describe, expect, it } from "vitest";
import { SandboxError, SandboxPool, type SandboxErrorCode } from "@/server/sandbox";
import { runWith, type Prepare } from "@/server/sandbox/run";
import { transpileStrategy } from "@/server/sandbox/transpile";
import { TINY, strategyWith, syntheticInput, tinyEntries } from "./helpers";

// One pool for the file; short limits keep the corpus quick. Every hostile case is followed
// by a normal strategy on the same pool to show the sandbox keeps serving correctly.
const pool = new SandboxPool({ size: 1, timeoutMs: 1_000, memoryMb: 64 });
afterAll(() => pool.shutdown());
const input = syntheticInput("SYN", 300);

/** Transpile only: probes what the isolate does when the static checks are bypassed. */
const unchecked: Prepare = (source) => {
  const t = transpileStrategy(source);
  return { js: t.commonJs, map: t.commonMap };
};

async function failure(source: string, prepare?: Prepare, timeoutMs?: number): Promise<SandboxError> {
  try {
    await runWith(pool, source, [input], {}, { timeoutMs }, prepare);
  } catch (err) {
    if (err instanceof SandboxError) return err;
    throw err;
  }
  throw new Error("expected the strategy to fail");
}

async function stillServes(): Promise<void> {
  const { signals } = await runWith(pool, TINY, [input], {});
  expect(Array.from(signals[0].entries), "a normal strategy runs right after").toEqual(tinyEntries(input.bars.close));
}

const ok = "return { entries: new Uint8Array(n), exits: new Uint8Array(n) };";
const spin = "while (true) {}";

// A bomb that drives V8 into back-to-back full GCs near the heap limit may be stopped by the
// outer wall-clock kill before the isolate reports the memory limit; both codes are honest.
/** [label, signals body (or full module when it starts with "import"), expected code, message pattern, bypass static checks] */
type Case = [string, string, SandboxErrorCode | SandboxErrorCode[], RegExp?, boolean?];

const corpus: Case[] = [
  // escapes against vm-style sandboxes
  [
    "constructor chain to process",
    `return (this as any).constructor.constructor("return process")();`,
    "INVALID_SOURCE",
    /constructor/,
  ],
  [
    "computed constructor chain",
    `const c = "constr" + "uctor"; const F = (() => 1)[c]; return F("return process")();`,
    "RUNTIME_ERROR",
    /generating code from strings/,
  ],
  [
    "generator constructor",
    `const c = "constr" + "uctor"; const G = (function* () {})[c]; return G("yield process")().next().value;`,
    "RUNTIME_ERROR",
    /generating code from strings/,
  ],
  ["eval by name (checks bypassed)", `return eval("process");`, "RUNTIME_ERROR", /generating code from strings/, true],
  [
    "Function by name (checks bypassed)",
    `return new Function("return process")();`,
    "RUNTIME_ERROR",
    /generating code from strings/,
    true,
  ],
  [
    "globalThis has no host objects (checks bypassed)",
    `const g: any = globalThis; if (typeof g.process !== "undefined" || typeof g.require !== "undefined") return { entries: "ESCAPED" } as any; throw new Error("contained: " + typeof g.process);`,
    "RUNTIME_ERROR",
    /contained: undefined/,
    true,
  ],
  [
    "prepareStackTrace frame walking",
    `const E: any = Error; const k = "prepareStack" + "Trace"; E[k] = (_e: any, frames: any[]) => frames.map((f) => { try { return typeof f.getThis(); } catch { return "x"; } }).join(","); const s = new Error().stack; throw new Error("contained " + s);`,
    "RUNTIME_ERROR",
    /contained/,
  ],
  [
    "WebAssembly removed (checks bypassed)",
    `return new WebAssembly.Memory({ initial: 1 }) as any;`,
    "RUNTIME_ERROR",
    /WebAssembly is not defined/,
    true,
  ],
  [
    "SharedArrayBuffer removed (checks bypassed)",
    `return new SharedArrayBuffer(8) as any;`,
    "RUNTIME_ERROR",
    /SharedArrayBuffer is not defined/,
    true,
  ],
  [
    "Atomics.wait removed (checks bypassed)",
    `Atomics.wait(new Int32Array(4), 0, 0, 100000); ${ok}`,
    "RUNTIME_ERROR",
    /Atomics is not defined/,
    true,
  ],
  ["require of a node module", `const fs = require("fs"); ${ok}`, "INVALID_SOURCE", /require/],
  [
    "require at runtime (checks bypassed)",
    `const fs = require("fs"); ${ok}`,
    "RUNTIME_ERROR",
    /only "@strategy-lab\/sdk"/,
    true,
  ],
  [
    "import of a node module",
    `import fs from "node:fs";\nexport default {};`,
    "INVALID_SOURCE",
    /only "@strategy-lab\/sdk"/,
  ],
  ["dynamic import", `return import("fs") as any;`, "INVALID_SOURCE", /import/],
  // infinite loops and CPU
  ["infinite loop in signals", spin, "TIMEOUT"],
  [
    "infinite loop in module body",
    `import { defineStrategy } from "@strategy-lab/sdk";\nfor (;;) {}\nexport default defineStrategy({ name: "x", params: {}, signals() { return null as any; } });`,
    "TIMEOUT",
  ],
  ["catastrophic regex", `const ok = /^(a+)+$/.test("a".repeat(40) + "!"); ${ok}`, "TIMEOUT"],
  [
    "exponential recursion through catch",
    `function f(): number { try { return f(); } catch { return f(); } } f(); ${ok}`,
    "TIMEOUT",
  ],
  [
    "deep recursion",
    `function f(k: number): number { return f(k + 1) + 1; } f(0); ${ok}`,
    "RUNTIME_ERROR",
    /call stack/,
  ],
  // memory bombs
  ["array growth", `const a: number[][] = []; for (;;) a.push(new Array(1e5).fill(1));`, "MEMORY_LIMIT"],
  ["string doubling", `let s = "x"; for (;;) s += s;`, "MEMORY_LIMIT"],
  ["2 GB typed array", `const a = new Float64Array(2 ** 28); ${ok}`, "MEMORY_LIMIT"],
  ["many typed arrays", `const a: Float64Array[] = []; for (;;) a.push(new Float64Array(4e6));`, "MEMORY_LIMIT"],
  [
    "deep object graph",
    `let o: any = {}; for (;;) o = { next: o, pad: new Array(2000).fill(o) };`,
    ["MEMORY_LIMIT", "TIMEOUT"],
  ],
  ["huge repeat", `const s = "x".repeat(2 ** 30); ${ok}`, "MEMORY_LIMIT"],
  [
    "Map growth",
    `const m = new Map<number, number[]>(); for (let i = 0; ; i++) m.set(i, new Array(1000).fill(i));`,
    "MEMORY_LIMIT",
  ],
  [
    "memory bomb in module body",
    `import { defineStrategy } from "@strategy-lab/sdk";\nconst a: number[][] = []; for (let i = 0; ; i++) a.push(new Array(1e4).fill(i));\nexport default defineStrategy({ name: "x", params: {}, signals() { return null as any; } });`,
    "MEMORY_LIMIT",
  ],
  // promise / async tricks to outlive the run
  [
    "async signals",
    `import { defineStrategy } from "@strategy-lab/sdk";\nexport default defineStrategy({ name: "x", params: {}, async signals() { return null as any; } } as any);`,
    "INVALID_SOURCE",
    /async/,
  ],
  [
    "promise chain",
    `Promise.resolve().then(function loop(): any { return Promise.resolve().then(loop); }); ${ok}`,
    "INVALID_SOURCE",
    /promises/,
  ],
  [
    "microtask flood (checks bypassed)",
    `Promise.resolve().then(function loop(): any { return Promise.resolve().then(loop); }); ${ok}`,
    ["TIMEOUT", "MEMORY_LIMIT"],
    undefined,
    true,
  ],
  [
    "async spin after return (checks bypassed)",
    `(async () => { await null; for (;;) {} })(); ${ok}`,
    "TIMEOUT",
    undefined,
    true,
  ],
  ["setTimeout", `setTimeout(() => {}, 10); ${ok}`, "INVALID_SOURCE", /timers/],
  // traps on returned values
  [
    "getter that loops on the result",
    `return { get entries(): Uint8Array { for (;;) {} }, exits: new Uint8Array(n) };`,
    "TIMEOUT",
  ],
  [
    "getter that loops on an element",
    `const e: any[] = Array(n).fill(0); const d = "define" + "Property"; (Object as any)[d](e, 5, { get() { for (;;) {} } }); return { entries: e, exits: new Uint8Array(n) };`,
    "TIMEOUT",
  ],
  ["thrown object with looping message getter", `throw { get message(): string { for (;;) {} } };`, "TIMEOUT"],
  [
    "proxy result (checks bypassed)",
    `return new Proxy({}, { get() { for (;;) {} } }) as any;`,
    "TIMEOUT",
    undefined,
    true,
  ],
  [
    "valueOf on flags",
    `const e = Array.from({ length: n }, () => ({ valueOf: () => 1 })); return { entries: e as any, exits: new Uint8Array(n) };`,
    "INVALID_OUTPUT",
    /entries\[0\]/,
  ],
  [
    "Symbol.toPrimitive on numbers",
    `const s = Array.from({ length: n }, () => ({ [Symbol.toPrimitive]: () => 1 })); return { entries: new Uint8Array(n), exits: new Uint8Array(n), score: s as any };`,
    "INVALID_OUTPUT",
    /score\[0\]/,
  ],
  [
    "array-like with huge length",
    `return { entries: { length: 1e9 } as any, exits: new Uint8Array(n) };`,
    "INVALID_OUTPUT",
    /entries/,
  ],
  // wrong shapes
  ["missing exits", `return { entries: new Uint8Array(n) } as any;`, "INVALID_OUTPUT", /exits/],
  [
    "wrong length",
    `return { entries: new Uint8Array(n + 1), exits: new Uint8Array(n) };`,
    "INVALID_OUTPUT",
    /length 301 but there are 300 bars/,
  ],
  [
    "flag of 2",
    `const e = new Uint8Array(n); e[7] = 2; return { entries: e, exits: new Uint8Array(n) };`,
    "INVALID_OUTPUT",
    /entries\[7\]` is 2/,
  ],
  [
    "infinite score",
    `const s = new Float64Array(n); s[3] = 1 / 0; return { entries: new Uint8Array(n), exits: new Uint8Array(n), score: s };`,
    "INVALID_OUTPUT",
    /score\[3\]` is Infinity/,
  ],
  [
    "confidence out of range",
    `const c = new Float64Array(n).fill(0.5); c[9] = 1.5; return { entries: new Uint8Array(n), exits: new Uint8Array(n), confidence: c };`,
    "INVALID_OUTPUT",
    /confidence\[9\]/,
  ],
  ["returns null", `return null as any;`, "INVALID_OUTPUT", /must return an object/],
  [
    "no default export",
    `import { defineStrategy } from "@strategy-lab/sdk";\nexport const x = 1;\nexport default 5 as any;`,
    "INVALID_OUTPUT",
    /export default/,
  ],
  // enormous outputs
  [
    "enormous name",
    `import { defineStrategy } from "@strategy-lab/sdk";\nexport default defineStrategy({ name: "n".repeat(5e6), params: {}, signals(bars) { const n = bars.close.length; ${ok} } });`,
    "OUTPUT_TOO_LARGE",
  ],
  ["log flood until timeout", `for (;;) console.log("x".repeat(1000));`, "TIMEOUT"],
  ["logging an object with a looping getter", `console.log({ get a(): number { for (;;) {} } }); ${ok}`, "TIMEOUT"],
];

describe("hostile strategies", () => {
  it("has at least 40 snippets", () => expect(corpus.length).toBeGreaterThanOrEqual(40));

  it.each(corpus)("%s → %s", async (_label, body, code, message, bypass) => {
    const source = body.startsWith("import") ? body : strategyWith(body);
    // Memory bombs get a generous CPU budget so a loaded machine can't turn them into timeouts.
    const timeoutMs = code === "MEMORY_LIMIT" ? 15_000 : undefined;
    const err = await failure(source, bypass ? unchecked : undefined, timeoutMs);
    expect([code].flat(), err.message).toContain(err.code);
    expect(err.message.length, "messages stay short").toBeLessThan(2_500);
    if (message) expect(err.message).toMatch(message);
    await stillServes();
  });

  it("keeps prototype pollution from leaking into the next run", async () => {
    const polluter = strategyWith(
      `const proto = "proto" + "type"; (Object as any)[proto].polluted = 1; (Array as any)[proto].push = null; ${ok}`,
    );
    await runWith(pool, polluter, [input], {});
    const probe = strategyWith(
      `const e = new Uint8Array(n).fill(({} as any).polluted === undefined && typeof [].push === "function" ? 1 : 0); return { entries: e, exits: new Uint8Array(n) };`,
    );
    const { signals } = await runWith(pool, probe, [input], {});
    expect(signals[0].entries.every((x) => x === 1)).toBe(true);
  });

  it("produces correct output even when the strategy sabotages builtins", async () => {
    const saboteur = strategyWith(`
      const proto = "proto" + "type";
      (JSON as any).stringify = () => "{}";
      (Object as any).keys = () => { throw new Error("sabotaged"); };
      (String as any)[proto].slice = () => "";
      (Uint8Array as any)[proto].set = () => { throw new Error("sabotaged"); };
      const e = new Uint8Array(n); for (let i = 0; i < n; i += 2) e[i] = 1;
      return { entries: e, exits: new Uint8Array(n) };`);
    const { signals } = await runWith(pool, saboteur, [input], {});
    expect(Array.from(signals[0].entries.slice(0, 4))).toEqual([1, 0, 1, 0]);
    await stillServes();
  });

  it("ignores toJSON and other traps it never needs to call", async () => {
    const trap = strategyWith(
      `return { entries: new Uint8Array(n), exits: new Uint8Array(n), toJSON() { for (;;) {} }, [Symbol.toPrimitive]() { for (;;) {} } } as any;`,
    );
    const { signals } = await runWith(pool, trap, [input], {});
    expect(signals[0].entries.length).toBe(300);
  });

  it("truncates a console flood to 64 KiB and reports what was dropped", async () => {
    const flood = strategyWith(`for (let i = 0; i < 20000; i++) console.log("line", i, "x".repeat(50)); ${ok}`);
    const r = await runWith(pool, flood, [input], {});
    expect(r.logs.length).toBeLessThanOrEqual(65_536);
    expect(r.logs.startsWith("line 0 ")).toBe(true);
    expect(r.logsDropped).toBeGreaterThan(10_000);
  });

  it("truncates an enormous thrown message", async () => {
    const err = await failure(strategyWith(`throw new Error("m".repeat(5e6));`));
    expect(err.code).toBe("RUNTIME_ERROR");
    expect(err.message.length).toBeLessThan(2_500);
  });
});
