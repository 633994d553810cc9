/**
 * Rule plan → SDK strategy source. Every number of the plan becomes a parameter whose
 * default is the requested value and whose range sits around it; indicators are computed
 * once, then one loop writes the entry and exit flags bar by bar, and a second loop adds the
 * position-aware exits (trailing stop, time exit) when the plan has them.
 */
import { describeCondition, describePlan, describeRules, num } from "./describe";
import { rangeAround } from "./params";
import { baseName, camel, cap, hintFor, OSCILLATOR_DOMAIN, Writer, type Param } from "./code-writer";
import type { Condition, Operand, RulePlan, Series } from "./schema";

function at(w: Writer, s: Series, lag: string, hint?: string): string {
  const v = w.series(s, hint);
  const back = s.kind === "price" ? s.lag : 0;
  const idx = back > 0 ? `i - ${back}${lag}` : lag ? `i${lag}` : "i";
  return `${v}[${idx}]`;
}

function operandAt(w: Writer, c: Condition & { right: Operand; left: Series }, name: string, lag: string): string {
  const r = c.right;
  if (r.kind === "level") {
    if (r.value === 0) return "0";
    return w.param(
      name,
      r.value,
      "level",
      `${c.kind === "cross" ? "crossing" : "threshold"} level of ${describeSeriesShort(c.left)}`,
      OSCILLATOR_DOMAIN[c.left.kind],
    );
  }
  const x = at(w, r.series, lag, hintFor(c, "right"));
  if (r.times !== undefined)
    return `${x} * ${w.param(`${baseName(c.left)}Multiple`, r.times, "times", "multiple of the reference")}`;
  if (r.atrs !== undefined) {
    const k = w.param(
      `${baseName(r.series)}Atrs`,
      Math.abs(r.atrs.value),
      "atrMultiple",
      `distance from the reference in ATRs, ${r.atrs.value >= 0 ? "above" : "below"}`,
    );
    const atr = w.series({ kind: "atr", period: r.atrs.period });
    return `${x} ${r.atrs.value >= 0 ? "+" : "-"} ${k} * ${atr}[i${lag}]`;
  }
  if (r.pct !== undefined) {
    const pp = w.param(
      `${baseName(r.series)}Pct`,
      Math.abs(r.pct),
      "pct",
      `distance from the reference, % ${r.pct >= 0 ? "above" : "below"}`,
    );
    return `${x} * (1 ${r.pct >= 0 ? "+" : "-"} ${pp} / 100)`;
  }
  return x;
}

function describeSeriesShort(s: Series): string {
  return baseName(s);
}

function expr(w: Writer, c: Condition, role: string): string {
  switch (c.kind) {
    case "compare": {
      const l = at(w, c.left, "", hintFor(c, "left"));
      const r = operandAt(w, c, camel(role, baseName(c.left), c.op), "");
      return `${l} ${c.op === "above" ? ">" : "<"} ${r}`;
    }
    case "cross": {
      const name = camel(role, baseName(c.left), "cross");
      const l0 = at(w, c.left, "", hintFor(c, "left"));
      const r0 = operandAt(w, c, name, "");
      const l1 = at(w, c.left, " - 1", hintFor(c, "left"));
      const r1 = r0 === "0" || r0.startsWith("p.") ? r0 : operandAt(w, c, name, " - 1");
      return c.dir === "above" ? `(${l0} > ${r0} && ${l1} <= ${r1})` : `(${l0} < ${r0} && ${l1} >= ${r1})`;
    }
    case "between": {
      const v = at(w, c.left, "");
      const lo = w.param(
        camel(role, baseName(c.left), "low"),
        c.low,
        "level",
        `lower bound of ${baseName(c.left)}`,
        OSCILLATOR_DOMAIN[c.left.kind],
      );
      const hi = w.param(
        camel(role, baseName(c.left), "high"),
        c.high,
        "level",
        `upper bound of ${baseName(c.left)}`,
        OSCILLATOR_DOMAIN[c.left.kind],
      );
      return `(${v} >= ${lo} && ${v} <= ${hi})`;
    }
    case "trend": {
      w.helpers.add("streak");
      const isClose = c.left.kind === "price" && c.left.field === "close";
      const k = w.param(
        isClose
          ? camel(role, c.dir === "rising" ? "up" : "down", "days")
          : camel(role, baseName(c.left), c.dir, "bars"),
        c.bars,
        "bars",
        `bars in a row ${c.dir === "rising" ? "higher" : "lower"} than the bar before`,
      );
      return `streak(${w.series(c.left)}, i, ${k}, ${c.dir === "rising" ? "1" : "-1"})`;
    }
    case "gap": {
      const g = w.param(
        camel(role, "gap", c.dir, "pct"),
        c.pct,
        "pct",
        `minimum gap ${c.dir}, % from the previous close`,
      );
      return c.dir === "up"
        ? `bars.open[i] > bars.close[i - 1] * (1 + ${g} / 100)`
        : `bars.open[i] < bars.close[i - 1] * (1 - ${g} / 100)`;
    }
    case "sector": {
      w.fundamentals = true;
      const v = w.unique("inSector");
      w.setup.push(`const ${v} = ${JSON.stringify(c.sectors)}.includes(bars.sector ?? "");`);
      return v;
    }
    case "all":
      return c.of.map((x) => wrap(expr(w, x, role))).join(" && ");
    case "any":
      return `(${c.of.map((x) => wrap(expr(w, x, role))).join(" || ")})`;
  }
}

const wrap = (e: string) => (/\|\|/.test(e) && !e.startsWith("(") ? `(${e})` : e);

function distanceExpr(w: Writer, d: NonNullable<RulePlan["stopLoss"]>, key: string, sign: "+" | "-"): string {
  if (d.unit === "pct")
    return `bars.close[i] * (1 ${sign} ${w.param(`${key}Pct`, d.value, "pct", `${key} distance, % of the entry close`)} / 100)`;
  const atr = w.series({ kind: "atr", period: d.period });
  return `bars.close[i] ${sign} ${w.param(`${key}Atr`, d.value, "atrMultiple", `${key} distance in ATRs`)} * ${atr}[i]`;
}

/** Source of an SDK strategy module implementing the plan. */
export function generateCode(plan: RulePlan, opts: { name?: string; notUnderstood?: string[] } = {}): string {
  const w = new Writer();
  const long = plan.side === "long";
  const entryExpr = expr(w, plan.entry, "");
  const exitExpr = plan.exit ? expr(w, plan.exit, "exit") : null;
  const loop: string[] = [`      entries[i] = ${entryExpr} ? 1 : 0;`];
  if (exitExpr) loop.push(`      exits[i] = ${exitExpr} ? 1 : 0;`);
  const outputs = long
    ? ["entries", "exits"]
    : ["entries: new Uint8Array(n)", "exits: new Uint8Array(n)", "shortEntries: entries", "shortExits: exits"];
  const arrays = ["    const entries = new Uint8Array(n);", "    const exits = new Uint8Array(n);"];
  if (plan.stopLoss) {
    arrays.push("    const stopLoss = fill(n);");
    loop.push(`      stopLoss[i] = ${distanceExpr(w, plan.stopLoss, "stopLoss", long ? "-" : "+")};`);
    outputs.push("stopLoss");
  }
  if (plan.takeProfit) {
    arrays.push("    const takeProfit = fill(n);");
    loop.push(`      takeProfit[i] = ${distanceExpr(w, plan.takeProfit, "takeProfit", long ? "+" : "-")};`);
    outputs.push("takeProfit");
  }
  if (plan.score) {
    arrays.push("    const score = fill(n);");
    loop.push(`      score[i] = ${plan.score.order === "low" ? "-" : ""}${at(w, plan.score.series, "")};`);
    outputs.push("score");
  }
  if (plan.stopLoss || plan.takeProfit || plan.score) w.helpers.add("fill");
  const position = positionLoop(w, plan);
  const imports = ["defineStrategy", ...(w.helpers.has("fill") ? ["fill"] : [])];
  const params = w.params.map((prm) => paramLine(prm));
  const header = describeRules(plan).map((s) => `// ${s}`);
  const notes =
    (opts.notUnderstood ?? []).length > 0 ? [`// not understood: ${(opts.notUnderstood ?? []).join("; ")}`] : [];
  const streak = w.helpers.has("streak")
    ? [
        "    // true when the series moved in direction dir (1 up, -1 down) on each of the last k bars",
        "    const streak = (s: ArrayLike<number>, i: number, k: number, dir: number): boolean => {",
        "      for (let j = i - k + 1; j <= i; j++) if (j < 1 || !(dir > 0 ? s[j] > s[j - 1] : s[j] < s[j - 1])) return false;",
        "      return true;",
        "    };",
      ]
    : [];
  return [
    ...notes,
    `import { ${imports.join(", ")} } from "@strategy-lab/sdk";`,
    "",
    ...header,
    "export default defineStrategy({",
    `  name: ${JSON.stringify(opts.name ?? strategyName(plan))},`,
    `  description: ${JSON.stringify(describePlan(plan))},`,
    ...(w.fundamentals ? ["  fundamentals: true,"] : []),
    "  params: {",
    ...params,
    "  },",
    `  signals(bars, p${usesTa(w) ? ", ta" : ""}) {`,
    "    const n = bars.close.length;",
    ...w.setup.map((l) => `    ${l}`),
    ...streak,
    ...arrays,
    "    for (let i = 0; i < n; i++) {",
    ...loop,
    "    }",
    ...position,
    `    return { ${outputs.join(", ")} };`,
    "  },",
    "});",
    "",
  ].join("\n");
}

function usesTa(w: Writer): boolean {
  return w.setup.some((l) => l.includes("ta."));
}

function paramLine(prm: Param): string {
  const r = rangeAround(prm.value, prm.bound);
  let { min, max } = r;
  if (prm.domain) {
    min = Math.max(min, Math.min(prm.domain[0], prm.value));
    max = Math.min(max, Math.max(prm.domain[1], prm.value));
    if (prm.value >= 0 && min < 0) min = Math.min(0, prm.value);
  }
  return `    ${prm.name}: { type: "${r.int ? "int" : "float"}", min: ${num(min)}, max: ${num(max)}, default: ${num(prm.value)}, description: ${JSON.stringify(prm.note)} },`;
}

function positionLoop(w: Writer, plan: RulePlan): string[] {
  if (!plan.trailingStop && plan.maxHoldBars === null) return [];
  const long = plan.side === "long";
  const tests = ["exits[i] === 1"];
  if (plan.maxHoldBars !== null)
    tests.push(
      `held >= ${w.param("maxHoldBars", plan.maxHoldBars, "bars", "close the position after this many bars")}`,
    );
  const t = plan.trailingStop;
  if (t) {
    const level =
      t.unit === "pct"
        ? `best * (1 ${long ? "-" : "+"} ${w.param("trailingStopPct", t.value, "pct", "trailing stop, % from the best close since entry")} / 100)`
        : `best ${long ? "-" : "+"} ${w.param("trailingStopAtr", t.value, "atrMultiple", "trailing stop in ATRs from the best close since entry")} * ${w.series({ kind: "atr", period: t.period })}[i]`;
    tests.push(`bars.close[i] ${long ? "<=" : ">="} ${level}`);
  }
  return [
    "    // Position-aware exits: follow the position opened by the entry signals.",
    "    let open = false;",
    "    let held = 0;",
    "    let best = NaN;",
    "    for (let i = 0; i < n; i++) {",
    "      if (!open) {",
    "        if (entries[i]) {",
    "          open = true;",
    "          held = 0;",
    "          best = bars.close[i];",
    "        }",
    "        continue;",
    "      }",
    "      held += 1;",
    `      best = Math.${long ? "max" : "min"}(best, bars.close[i]);`,
    `      if (${tests.join(" || ")}) {`,
    "        exits[i] = 1;",
    "        open = false;",
    "      }",
    "    }",
  ];
}

/** A short name from the entry rule. */
export function strategyName(plan: RulePlan): string {
  const first = plan.entry.kind === "all" ? plan.entry.of[0] : plan.entry;
  const text = describeCondition(first).replace(/^the /, "");
  const name = `${plan.side === "short" ? "Short: " : ""}${cap(text)}`;
  return name.length > 70 ? `${name.slice(0, 67).trimEnd()}…` : name;
}
