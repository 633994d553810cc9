// Evaluated as a classic script inside every fresh isolate context, after the SDK bundle and
// before the user's module. Read as text by child-host.mjs; never imported by the app.
// Its completion value is the dispatcher the child host calls. It captures every builtin it
// needs up front, so nothing the strategy later changes on globals or prototypes alters it.
// Anything it returns is re-validated by the host anyway.
(function () {
  "use strict";
  const G = globalThis;
  const runtime = G.__labRuntime || {};
  G.__labRuntime = undefined; // a `var` global: not deletable
  const F64 = Float64Array,
    U8 = Uint8Array,
    AB = ArrayBuffer,
    Str = String;
  const isView = AB.isView,
    isArray = Array.isArray,
    objKeys = Object.keys,
    hasOwn = Object.hasOwn;
  const defineProperty = Object.defineProperty,
    getPrototypeOf = Object.getPrototypeOf,
    freeze = Object.freeze;
  const createObject = Object.create,
    stringify = JSON.stringify,
    parseJson = JSON.parse;
  const call = Function.prototype.call;
  const uncurry = (fn) => call.bind(fn);
  const invoke = call.bind(call);
  const sliceStr = uncurry(String.prototype.slice);
  const splitStr = uncurry(String.prototype.split);
  const execRe = uncurry(RegExp.prototype.exec);
  const LOG_LIMIT = 65536,
    MESSAGE_LIMIT = 2000,
    TEXT_LIMIT = 4000,
    MAX_PARAMS = 200,
    MAX_OPTIONS = 200;
  const STACK_RE = /strategy\.js:(\d+):(\d+)/;

  // ---- 1. hardening: no code from strings, no shared memory, no wasm, no GC observers
  const blocked = function () {
    throw new TypeError("generating code from strings is not allowed in strategies");
  };
  const fnKinds = [function () {}, function* () {}, async function () {}, async function* () {}];
  for (let i = 0; i < fnKinds.length; i++) {
    defineProperty(getPrototypeOf(fnKinds[i]), "constructor", { value: blocked, writable: false, configurable: false });
  }
  defineProperty(G, "eval", { value: blocked, writable: false, configurable: false });
  defineProperty(G, "Function", { value: blocked, writable: false, configurable: false });
  const removed = ["WebAssembly", "Atomics", "SharedArrayBuffer", "WeakRef", "FinalizationRegistry"];
  for (let i = 0; i < removed.length; i++) delete G[removed[i]];

  // ---- 2. console kept inside the isolate, capped
  let logs = "",
    logFull = false,
    logDropped = 0;
  function show(v) {
    try {
      if (typeof v === "string") return v;
      if (typeof v === "object" && v !== null) return sliceStr(Str(stringify(v)), 0, LOG_LIMIT);
      return Str(v);
    } catch {
      return "[unprintable]";
    }
  }
  function log() {
    if (logFull) {
      logDropped++;
      return;
    }
    let line = "";
    for (let i = 0; i < arguments.length && line.length < LOG_LIMIT; i++) line += (i ? " " : "") + show(arguments[i]);
    const room = LOG_LIMIT - logs.length;
    if (line.length + 1 > room) {
      logs += sliceStr(line, 0, room);
      logFull = true;
      logDropped++;
      return;
    }
    logs += line + "\n";
  }
  const consoleObj = freeze({ log, info: log, warn: log, error: log, debug: log });
  defineProperty(G, "console", { value: consoleObj, writable: false, configurable: false });

  // ---- 3. module loading
  const sdk = runtime.sdk || {};
  const ta = runtime.ta || sdk.ta || {};
  const SDK = "@strategy-lab/sdk";
  function requireSdk(name) {
    if (name === SDK) return sdk;
    throw new Error('only "' + SDK + '" can be imported');
  }

  function text(v, limit) {
    const s = typeof v === "string" ? v : "";
    return s.length > limit ? sliceStr(s, 0, limit) : s;
  }
  function describeError(e) {
    const out = createObject(null);
    out.ok = false;
    out.kind = "runtime";
    try {
      let name = "",
        message = "",
        stack = "";
      if (typeof e === "object" && e !== null) {
        try {
          name = text(e.name, 100);
        } catch {}
        try {
          message = Str(e.message);
        } catch {
          message = "[unprintable error]";
        }
        try {
          stack = text(e.stack, 20000);
        } catch {}
      } else {
        try {
          message = Str(e);
        } catch {
          message = "[unprintable value]";
        }
      }
      out.message = (name && name !== "Error" ? name + ": " : "") + text(message, MESSAGE_LIMIT);
      const m = execRe(STACK_RE, stack);
      if (m) {
        out.line = +m[1];
        out.column = +m[2];
      }
    } catch {
      out.message = "the strategy threw an unprintable error";
    }
    return stringify(out);
  }
  // Thrown by the output checks; identity-compared so a value thrown by user code can't pass for it.
  const FAIL = createObject(null);
  let failure = "";
  function reject(kind, message) {
    failure = fail(kind, message);
    return FAIL;
  }
  function fail(kind, message) {
    const out = createObject(null);
    out.ok = false;
    out.kind = kind;
    out.message = message;
    return stringify(out);
  }
  function typeName(v) {
    if (v === null) return "null";
    if (isArray(v)) return "an array";
    if (isView(v)) return "a typed array";
    return typeof v === "object" ? "an object" : typeof v;
  }

  // ---- 4. state of one run
  let signalsFn = null,
    declaredParams = createObject(null),
    wantsFundamentals = false,
    wantsMacro = [],
    baseParams = createObject(null);

  function sanitizeSpec(spec) {
    const out = createObject(null);
    if (typeof spec !== "object" || spec === null) return out;
    const fields = ["type", "min", "max", "step", "default", "description", "label"];
    for (let i = 0; i < fields.length; i++) {
      const v = spec[fields[i]];
      if (typeof v === "string") out[fields[i]] = text(v, TEXT_LIMIT);
      else if (typeof v === "number" || typeof v === "boolean") out[fields[i]] = v;
    }
    const options = spec.options;
    if (isArray(options)) {
      const list = [];
      for (let i = 0; i < options.length && i < MAX_OPTIONS; i++) {
        const o = options[i];
        if (typeof o === "string") list[i] = text(o, TEXT_LIMIT);
        else if (typeof o === "number" || typeof o === "boolean") list[i] = o;
        else list[i] = null;
      }
      out.options = list;
    }
    return out;
  }

  function load(factory, paramsJson) {
    try {
      const exportsObj = {};
      const moduleObj = { exports: exportsObj };
      invoke(factory, undefined, exportsObj, requireSdk, moduleObj);
      const exported = moduleObj.exports;
      const def = exported && exported.default;
      if (typeof def !== "object" || def === null)
        return fail("output", "the module must `export default defineStrategy({ … })` (got " + typeName(def) + ")");
      const signals = def.signals;
      if (typeof signals !== "function")
        return fail("output", "the strategy has no `signals(bars, params, ta)` function");
      const name = def.name,
        description = def.description,
        params = def.params,
        fundamentals = def.fundamentals;
      const info = createObject(null);
      info.name = typeof name === "string" ? name : "";
      info.description = typeof description === "string" ? description : "";
      if (info.name.length > TEXT_LIMIT || info.description.length > 20 * TEXT_LIMIT)
        return fail("too-large", "the strategy's name or description is too long");
      info.fundamentals = fundamentals === true;
      info.macro = [];
      const macro = def.macro;
      if (isArray(macro)) {
        const count = macro.length;
        if (count > 16) return fail("too-large", "the strategy declares more than 16 macro series");
        for (let i = 0, k = 0; i < count; i++) {
          const id = macro[i];
          if (typeof id === "string")
            defineProperty(info.macro, k++, {
              value: sliceStr(id, 0, 40),
              enumerable: true,
              writable: true,
              configurable: true,
            });
        }
      }
      info.params = createObject(null);
      if (typeof params === "object" && params !== null) {
        const keys = objKeys(params);
        if (keys.length > MAX_PARAMS)
          return fail("too-large", "the strategy declares more than " + MAX_PARAMS + " parameters");
        for (let i = 0; i < keys.length; i++) info.params[keys[i]] = sanitizeSpec(params[keys[i]]);
      }
      signalsFn = signals;
      declaredParams = info.params;
      wantsFundamentals = info.fundamentals;
      wantsMacro = info.macro;
      baseParams = parseJson(paramsJson);
      const out = createObject(null);
      out.ok = true;
      out.info = info;
      return stringify(out);
    } catch (e) {
      return describeError(e);
    }
  }

  function paramsFor() {
    const p = {};
    const keys = objKeys(declaredParams);
    for (let i = 0; i < keys.length; i++)
      if (hasOwn(declaredParams[keys[i]], "default")) p[keys[i]] = declaredParams[keys[i]].default;
    const given = objKeys(baseParams);
    for (let i = 0; i < given.length; i++) p[given[i]] = baseParams[given[i]];
    return p;
  }

  const FLAGS = ["entries", "exits", "shortEntries", "shortExits"];
  const NUMBERS = ["score", "stopLoss", "takeProfit", "confidence"];
  const COLUMNS = ["open", "high", "low", "close", "volume", "timestamps"];
  const FUNDAMENTALS = ["marketCap", "pe", "eps", "revenue", "pb", "debtToEquity"];

  function arrayOf(out, field, n, required) {
    const v = out[field];
    if (v === undefined || v === null) {
      if (required)
        throw reject("output", "signals() must return `" + field + "` (an array of " + n + " flags); it is missing");
      return null;
    }
    if (!isArray(v) && !isView(v))
      throw reject("output", "`" + field + "` must be an array or typed array of length " + n + ", got " + typeName(v));
    const len = v.length;
    if (len !== n) throw reject("output", "`" + field + "` has length " + Str(len) + " but there are " + n + " bars");
    return v;
  }

  function pack(out, n) {
    if (typeof out !== "object" || out === null || isArray(out))
      throw reject("output", "signals() must return an object like { entries, exits }, got " + typeName(out));
    const flags = [null, null, null, null],
      nums = [null, null, null, null];
    let mask = 0;
    for (let k = 0; k < 4; k++) {
      flags[k] = arrayOf(out, FLAGS[k], n, k < 2);
      if (flags[k] !== null) mask |= 1 << k;
      nums[k] = arrayOf(out, NUMBERS[k], n, false);
      if (nums[k] !== null) mask |= 1 << (k + 4);
    }
    let numCount = 0,
      flagCount = 0;
    for (let k = 0; k < 4; k++) {
      if (nums[k] !== null) numCount++;
      if (flags[k] !== null) flagCount++;
    }
    const buf = new AB(8 + numCount * n * 8 + flagCount * n);
    new F64(buf, 0, 1)[0] = mask;
    let offset = 8;
    for (let k = 0; k < 4; k++) {
      const src = nums[k];
      if (src === null) continue;
      const dst = new F64(buf, offset, n);
      for (let i = 0; i < n; i++) {
        const x = src[i];
        if (typeof x !== "number" || x === Infinity || x === -Infinity)
          throw reject(
            "output",
            "`" +
              NUMBERS[k] +
              "[" +
              i +
              "]` is " +
              (typeof x === "number" ? Str(x) : typeName(x)) +
              "; expected a finite number or NaN",
          );
        if (k === 3 && (x < 0 || x > 1))
          throw reject("output", "`confidence[" + i + "]` is " + Str(x) + "; expected a number in [0, 1] or NaN");
        dst[i] = x;
      }
      offset += n * 8;
    }
    for (let k = 0; k < 4; k++) {
      const src = flags[k];
      if (src === null) continue;
      const dst = new U8(buf, offset, n);
      for (let i = 0; i < n; i++) {
        const x = src[i];
        if (x === true || x === 1) dst[i] = 1;
        else if (!(x === false || x === 0))
          throw reject(
            "output",
            "`" +
              FLAGS[k] +
              "[" +
              i +
              "]` is " +
              (typeof x === "number" ? Str(x) : typeName(x)) +
              "; expected true/false or 1/0",
          );
      }
      offset += n;
    }
    return buf;
  }

  function runSymbol(n, input, hasFundamentals, sector, symbol, macroIds) {
    try {
      const bars = { symbol };
      let offset = 0;
      for (let c = 0; c < 6; c++, offset += n * 8) bars[COLUMNS[c]] = new F64(input, offset, n);
      if (hasFundamentals) {
        for (let c = 0; c < 6; c++, offset += n * 8) bars[FUNDAMENTALS[c]] = new F64(input, offset, n);
        bars.sector = sector;
      } else if (wantsFundamentals) {
        for (let c = 0; c < 6; c++) {
          const a = new F64(n);
          for (let i = 0; i < n; i++) a[i] = NaN;
          bars[FUNDAMENTALS[c]] = a;
        }
        bars.sector = "";
      }
      if (wantsMacro.length > 0) {
        const macro = createObject(null);
        const given = typeof macroIds === "string" && macroIds !== "" ? splitStr(macroIds, ",") : [];
        for (let k = 0; k < given.length; k++, offset += n * 8) macro[Str(given[k])] = new F64(input, offset, n);
        for (let k = 0; k < wantsMacro.length; k++) {
          if (hasOwn(macro, wantsMacro[k])) continue;
          const a = new F64(n);
          for (let i = 0; i < n; i++) a[i] = NaN;
          macro[wantsMacro[k]] = a;
        }
        bars.macro = macro;
      }
      let out;
      try {
        out = invoke(signalsFn, undefined, bars, paramsFor(), ta);
      } catch (e) {
        return describeError(e);
      }
      return pack(out, n);
    } catch (e) {
      return e === FAIL ? failure : describeError(e);
    }
  }

  function takeLogs() {
    const out = createObject(null);
    out.logs = logs;
    out.dropped = logDropped;
    return stringify(out);
  }

  return function dispatch(op, a, b, c, d, e, f) {
    if (op === "load") return load(a, b);
    if (op === "run") return runSymbol(a, b, c, d, e, f);
    if (op === "logs") return takeLogs();
    return fail("internal", "unknown operation");
  };
})();
