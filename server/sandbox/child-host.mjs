// Sandbox child process: owns one isolated-vm isolate and runs strategy jobs one at a time.
// Plain ESM JavaScript on purpose: it is started with `child_process.fork` from the app
// (Next server, CLI, tests) and must load without any transpiler. Protocol: see protocol.ts.
import { readFileSync } from "node:fs";
import ivm from "isolated-vm";

const RECYCLE_AFTER_RUNS = 1000;
const USER_SCRIPT_CACHE = 32;
/** Largest JSON reply (declaration, error, logs) accepted from the harness, in characters. */
const MAX_REPLY_CHARS = 1_000_000;
/** Keyed input data kept between jobs (least recently used dropped first), bytes. Keep in step with pool.ts. */
const DATA_CACHE_BYTES = 192 * 1024 * 1024;

const harnessJs = readFileSync(new URL("./in-isolate-harness.js", import.meta.url), "utf8");
let runtimeJs = "";
/** @type {null | { isolate: any, memoryMb: number, runtime: any, harness: any, scripts: Map<string, any>, runs: number }} */
let current = null;

function dispose() {
  if (!current) return;
  const { isolate } = current;
  current = null;
  try {
    if (!isolate.isDisposed) isolate.dispose();
  } catch {
    // already gone
  }
}

function isolateFor(memoryMb) {
  if (current && (current.memoryMb !== memoryMb || current.isolate.isDisposed || current.runs >= RECYCLE_AFTER_RUNS))
    dispose();
  if (current) return current;
  const isolate = new ivm.Isolate({
    memoryLimit: memoryMb,
    onCatastrophicError: (message) => {
      process.stderr.write(`sandbox: catastrophic isolate error: ${String(message).slice(0, 500)}\n`);
      process.exit(70);
    },
  });
  current = {
    isolate,
    memoryMb,
    runtime: isolate.compileScriptSync(runtimeJs, { filename: "sdk-runtime.js" }),
    harness: isolate.compileScriptSync(harnessJs, { filename: "harness.js" }),
    scripts: new Map(),
    runs: 0,
  };
  return current;
}

function userScript(state, js) {
  let script = state.scripts.get(js);
  if (script) return script;
  script = state.isolate.compileScriptSync(js, { filename: "strategy.js" });
  if (state.scripts.size >= USER_SCRIPT_CACHE) {
    const oldest = state.scripts.keys().next().value;
    state.scripts.get(oldest)?.release();
    state.scripts.delete(oldest);
  }
  state.scripts.set(js, script);
  return script;
}

/** Turns an error raised by isolated-vm itself (not by user code) into a result error. */
function hostFailure(err, isolate) {
  const message = err instanceof Error ? String(err.message) : String(err);
  if (/timed out/i.test(message)) return { code: "TIMEOUT", message: "" };
  if (isolate.isDisposed || /memory limit|out of memory|allocation failed/i.test(message))
    return { code: "MEMORY_LIMIT", message: "" };
  if (err instanceof SyntaxError) return { code: "INVALID_SOURCE", message: message.slice(0, 2000) };
  return { code: "CRASHED", message: message.slice(0, 2000) };
}

function parseHarness(value) {
  if (typeof value !== "string")
    return { ok: false, kind: "internal", message: "the sandbox returned an unexpected value" };
  if (value.length > MAX_REPLY_CHARS)
    return { ok: false, kind: "too-large", message: "the strategy's declaration or error is too large" };
  try {
    return JSON.parse(value);
  } catch {
    return { ok: false, kind: "internal", message: "the sandbox returned malformed data" };
  }
}

function packInput(entry) {
  const data = entry.data;
  if (data.byteOffset === 0 && data.byteLength === data.buffer.byteLength) return data.buffer;
  return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
}

/** Keyed inputs by key, in use order (a Map iterates oldest first). Host-made keys, never user input. */
const dataCache = new Map();
let dataCacheBytes = 0;

function keep(key, buffer) {
  const old = dataCache.get(key);
  if (old) {
    dataCache.delete(key);
    dataCacheBytes -= old.byteLength;
  }
  if (buffer.byteLength > DATA_CACHE_BYTES) return;
  dataCache.set(key, buffer);
  dataCacheBytes += buffer.byteLength;
  for (const [k, b] of dataCache) {
    if (dataCacheBytes <= DATA_CACHE_BYTES) break;
    dataCache.delete(k);
    dataCacheBytes -= b.byteLength;
  }
}

/** The input buffer of a symbol: sent with the job, or kept from an earlier one (null: not held). */
function inputOf(entry) {
  const sent = entry.data && entry.data.byteLength > 0;
  if (typeof entry.key === "string" && entry.key !== "") {
    if (!sent) {
      const held = dataCache.get(entry.key);
      if (!held) return null;
      dataCache.delete(entry.key);
      dataCache.set(entry.key, held);
      return held;
    }
    const buffer = packInput(entry);
    keep(entry.key, buffer);
    return buffer;
  }
  return packInput(entry);
}

function runJob(job) {
  // Data the host expected this child to hold but it does not (dropped, or a new child): run
  // nothing and ask for it.
  const inputs = (job.symbols ?? []).map(inputOf);
  const missing = (job.symbols ?? []).filter((_, i) => inputs[i] === null).map((e) => e.key);
  if (missing.length > 0) return { type: "result", id: job.id, ok: false, missing, logs: "", logsDropped: 0 };
  const state = isolateFor(job.memoryMb);
  const { isolate } = state;
  state.runs++;
  const cpuStart = isolate.cpuTime;
  const budgetNs = BigInt(Math.max(1, Math.floor(job.timeoutMs))) * 1_000_000n;
  const remaining = () => {
    const left = Number(budgetNs - (isolate.cpuTime - cpuStart)) / 1e6;
    if (left <= 0) throw new Error("Script execution timed out.");
    return Math.max(1, Math.ceil(left));
  };
  let context;
  const refs = [];
  const result = { type: "result", id: job.id, ok: true, logs: "", logsDropped: 0 };
  try {
    context = isolate.createContextSync();
    state.runtime.runSync(context, { timeout: remaining() });
    const dispatch = state.harness.runSync(context, { reference: true, timeout: remaining() });
    refs.push(dispatch);
    const factory = userScript(state, job.js).runSync(context, { reference: true, timeout: remaining() });
    refs.push(factory);
    const loaded = parseHarness(
      dispatch.applySync(undefined, ["load", factory.derefInto(), job.params], {
        timeout: remaining(),
        result: { copy: true },
      }),
    );
    if (!loaded.ok) {
      Object.assign(result, { ok: false, error: loaded });
    } else if (job.op === "inspect") {
      result.info = loaded.info;
    } else {
      result.outputs = [];
      for (let s = 0; s < job.symbols.length; s++) {
        const entry = job.symbols[s];
        const input = new ivm.ExternalCopy(inputs[s]).copyInto({ release: true });
        const out = dispatch.applySync(
          undefined,
          ["run", entry.n, input, entry.fundamentals, entry.sector, entry.symbol, (entry.macro ?? []).join(",")],
          { timeout: remaining(), result: { copy: true } },
        );
        if (out instanceof ArrayBuffer) {
          result.outputs.push(out);
          continue;
        }
        Object.assign(result, { ok: false, error: { ...parseHarness(out), symbol: entry.symbol } });
        delete result.outputs;
        break;
      }
    }
    const logs = parseHarness(
      dispatch.applySync(undefined, ["logs"], { timeout: remaining(), result: { copy: true } }),
    );
    result.logs = typeof logs.logs === "string" ? logs.logs.slice(0, 65536) : "";
    result.logsDropped = typeof logs.dropped === "number" ? logs.dropped : 0;
  } catch (err) {
    const failure = hostFailure(err, isolate);
    Object.assign(result, { ok: false, error: { kind: "host", ...failure } });
    delete result.outputs;
    delete result.info;
    dispose();
  } finally {
    for (const ref of refs) {
      try {
        ref.release();
      } catch {
        // isolate disposed
      }
    }
    try {
      context?.release();
    } catch {
      // isolate disposed
    }
  }
  if (current === state && !isolate.isDisposed) {
    try {
      const heap = isolate.getHeapStatisticsSync();
      result.heapBytes = heap.used_heap_size + heap.externally_allocated_size;
      if (result.heapBytes > (state.memoryMb * 1024 * 1024) / 2) dispose();
    } catch {
      dispose();
    }
  }
  result.cpuMs = current === state ? Number(isolate.cpuTime - cpuStart) / 1e6 : undefined;
  return result;
}

process.on("message", (msg) => {
  if (!msg || typeof msg !== "object") return;
  if (msg.type === "init") {
    runtimeJs = String(msg.runtimeJs);
    process.send({ type: "ready", pid: process.pid });
    return;
  }
  if (msg.type === "job") {
    const reply = runJob(msg);
    process.send(reply);
    return;
  }
});
process.on("disconnect", () => process.exit(0));
