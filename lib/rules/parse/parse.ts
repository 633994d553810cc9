/**
 * English → rule plan. Reads the request left to right: role words ("buy", "sell", "short",
 * "cover") switch between entry and exit rules; conditions, risk phrases and rankings are
 * recognised at each position; connecting words join them ("or" groups, everything else
 * "and"). Whatever is left that is not a filler word is reported as not understood, and a
 * condition right after a negation ("unless", "not") is not used but reported. Never guesses
 * a rule that was not asked for; defaults it fills in are listed as assumptions.
 */
import { RULES_VERSION, type Condition, type RulePlan, type Series } from "../schema";
import { at, endOf, FILLERS, OR_WORDS, toBars, UNIT } from "./lexicon";
import { normalizeRequest } from "./normalize";
import { readCondition } from "./conditions";
import { readRisk, readScore } from "./risk";
import { readSeries, type PeriodMemory } from "./series";

type Role = "entry" | "exit" | "short";

/** What the parser made of a request. `plan` is null when no entry rule was understood. */
export interface ParsedPlan {
  normalized: string;
  plan: RulePlan | null;
  /** Pieces of the (normalized) request that were not understood, in order. */
  notUnderstood: string[];
  /** Defaults filled in for numbers the request did not give. */
  assumptions: string[];
}

const ROLE_MARKERS: [Role, string][] = [
  [
    "short",
    String.raw`(?:sell short|short sell|go short|going short|enter short|open (?:a )?short(?: position)?|shorting|short)`,
  ],
  [
    "exit",
    String.raw`(?:sell|selling|sells|exit|exiting|exits|get out|close (?:the |my |a |out )?(?:position|trade|long|short)s?|close out|cover(?: the short| shorts)?|covering|take (?:the )?exit|exit rule)`,
  ],
  [
    "entry",
    String.raw`(?:buy|buying|buys|go long|going long|enter(?: long)?|entering|entry(?: rule)?|long|purchase|get in|open (?:a )?long(?: position)?|find(?: me)?|screen for|scan for|look for|looking for|show me|alert me|notify me|tell me|pick|select|list)`,
  ],
];
const LABEL = String.raw`(mean[ -]reversion|trend[ -]following|momentum|breakouts?|swing|reversal|contrarian)(?: (?:strategy|strategies|trading|play|system|idea|setup|screen|trade|trades))?`;

const sma = (period: number): Series => ({ kind: "ma", type: "sma", field: "close", period });
const close: Series = { kind: "price", field: "close", lag: 0 };
/**
 * Themes named without rules ("breakout trading") read as their textbook rules, said back as
 * an assumption. Only used when the request has no entry rule of its own.
 */
const THEMES: Record<string, { entry: Condition; exit: Condition; score?: RulePlan["score"]; reading: string }> = {
  breakout: {
    entry: {
      kind: "compare",
      left: close,
      op: "above",
      right: { kind: "series", series: { kind: "highest", field: "high", period: 20 } },
    },
    exit: {
      kind: "compare",
      left: close,
      op: "below",
      right: { kind: "series", series: { kind: "lowest", field: "low", period: 10 } },
    },
    reading: "a close above the prior 20-day high to enter, a close below the prior 10-day low to exit",
  },
  momentum: {
    entry: {
      kind: "compare",
      left: { kind: "roc", field: "close", period: 126 },
      op: "above",
      right: { kind: "level", value: 0 },
    },
    exit: {
      kind: "compare",
      left: { kind: "roc", field: "close", period: 126 },
      op: "below",
      right: { kind: "level", value: 0 },
    },
    score: { series: { kind: "roc", field: "close", period: 126 }, order: "high" },
    reading: "a positive 126-day (6-month) return to enter, a negative one to exit, ranked by that return",
  },
  "mean reversion": {
    entry: {
      kind: "compare",
      left: { kind: "zscore", field: "close", period: 20 },
      op: "below",
      right: { kind: "level", value: -2 },
    },
    exit: { kind: "compare", left: close, op: "above", right: { kind: "series", series: sma(20) } },
    reading: "a close 2 standard deviations below its 20-day mean to enter, back above the mean to exit",
  },
  "trend following": {
    entry: { kind: "cross", left: sma(50), dir: "above", right: { kind: "series", series: sma(200) } },
    exit: { kind: "cross", left: sma(50), dir: "below", right: { kind: "series", series: sma(200) } },
    reading: "the 50-day SMA crossing above the 200-day SMA to enter, crossing back below to exit",
  },
};
const SECTORS: [string, string][] = [
  ["technology|tech|information technology", "Technology"],
  ["health ?care|healthcare|biotech|pharma", "Health Care"],
  ["financials?|banks?|banking", "Financials"],
  ["consumer discretionary", "Consumer Discretionary"],
  ["consumer staples", "Consumer Staples"],
  ["industrials?", "Industrials"],
  ["energy|oil and gas", "Energy"],
  ["materials", "Materials"],
  ["utilities|utility", "Utilities"],
  ["real estate|reits?", "Real Estate"],
  ["communication services|communications?|telecom", "Communication Services"],
];
/** Words that change the meaning of the condition after them; a condition right after one is reported, not used. */
const NEGATIONS = new Set([
  "less",
  "fewer",
  "nearly",
  "almost",
  "about",
  "around",
  "approximately",
  "roughly",
  "rarely",
  "seldom",
  "sometimes",
  "not",
  "unless",
  "except",
  "no",
  "never",
  "without",
  "isn't",
  "doesn't",
  "don't",
  "avoid",
  "excluding",
  "exclude",
  "nor",
]);
const REVERSE = String.raw`(?:on |at |when |with )?(?:the |a )?(?:reverse|opposite|inverse|reversed|return) (?:cross|crossover|crossing|signal|condition)|(?:when )?(?:it |they |the averages? |the lines? )?cross(?:es)? back(?: (?:down|below|under|over|above))?|vice versa`;
const MEAN = String.raw`(?:(?:when|once|as) (?:it |price |the price |the stock )?)?(?:(?:returns|reverts|gets back|goes back|comes back|is back|crosses back|moves back|closes back|trades back|back)(?: (?:at|to|above|over))?|at|to|reaching|reaches) (?:the |its )?(mean|average|middle band|middle bollinger band|midline|moving average|sma)`;

interface Found {
  role: Role;
  cond: Condition;
  joinedByOr: boolean;
}

/** Reads the request; see the file comment. */
export function parsePlan(request: string): ParsedPlan {
  const text = normalizeRequest(request);
  const found: Found[] = [];
  const unknown: [number, number][] = [];
  const assumptions: string[] = [];
  const plan = { stopLoss: null, takeProfit: null, trailingStop: null, maxHoldBars: null, score: null } as Pick<
    RulePlan,
    "stopLoss" | "takeProfit" | "trailingStop" | "maxHoldBars" | "score"
  >;
  const sectors = new Set<string>();
  let role: Role = "entry";
  let sawShortRole = false;
  let sawOr = false;
  let negated = false;
  let pos = 0;
  const themes: string[] = [];
  let afterUnknown = false;
  const memory: PeriodMemory = new Map();
  const addUnknown = (a: number, b: number) => {
    afterUnknown = true;
    const last = unknown[unknown.length - 1];
    if (last && /^[\s,]*$/.test(text.slice(last[1], a))) last[1] = b;
    else unknown.push([a, b]);
  };
  const addCondition = (c: Condition, start: number, end: number, r: Role = role) => {
    if (negated) addUnknown(start, end);
    else found.push({ role: r, cond: c, joinedByOr: sawOr });
    sawOr = false;
    negated = false;
  };
  while (pos < text.length) {
    const ws = /\s*/y;
    ws.lastIndex = pos;
    ws.exec(text);
    pos = ws.lastIndex;
    if (pos >= text.length) break;
    const start = pos;
    const wasUnknown: boolean = afterUnknown;
    afterUnknown = false;
    const risk = readRisk(text, pos);
    if (risk) {
      const r = risk.value;
      if (r.kind === "maxHoldBars") plan.maxHoldBars = r.bars;
      else plan[r.kind] = r.distance;
      assumptions.push(...(risk.assumed ?? []));
      pos = risk.end;
      continue;
    }
    const score = readScore(text, pos, memory);
    if (score) {
      plan.score = score.value;
      assumptions.push(...(score.assumed ?? []));
      pos = score.end;
      continue;
    }
    // in an exit clause, "or after 30 days" is a time exit
    const after =
      role === "exit" ? at(text, pos, String.raw`(?:or |and |else )?(?:after|within|in) (\d+) ${UNIT}`) : null;
    if (after) {
      plan.maxHoldBars = toBars(Number(after[1]), after[2]);
      pos = endOf(after);
      continue;
    }
    const rev = at(text, pos, REVERSE);
    if (rev && role === "exit") {
      const flipped = found.filter((f) => f.role !== "exit").map((f) => flip(f.cond));
      if (flipped.length > 0 && flipped.every((c): c is Condition => c !== null))
        for (const c of flipped) addCondition(c, start, endOf(rev));
      else addUnknown(start, endOf(rev));
      pos = endOf(rev);
      continue;
    }
    const mean = at(text, pos, MEAN);
    if (mean && role === "exit") {
      const m = meanOf(found.filter((f) => f.role !== "exit").map((f) => f.cond));
      if (m)
        addCondition(
          {
            kind: "compare",
            left: { kind: "price", field: m.field, lag: 0 },
            op: sawShortRole ? "below" : "above",
            right: { kind: "series", series: m.series },
          },
          start,
          endOf(mean),
        );
      else addUnknown(start, endOf(mean));
      pos = endOf(mean);
      continue;
    }
    const label = at(text, pos, LABEL);
    const sector = readSector(text, pos);
    if (sector) {
      if (negated) addUnknown(start, sector.end);
      else sectors.add(sector.value);
      negated = false;
      pos = sector.end;
      continue;
    }
    const marker = ROLE_MARKERS.map(([r, re]) => [r, at(text, pos, re)] as const).find(([, m]) => m !== null);
    const cond = readCondition(text, pos, lastComparison(found), !wasUnknown, memory);
    if (cond && (!marker || endOf(marker[1] as RegExpExecArray) < cond.end) && !(label && endOf(label) >= cond.end)) {
      if (wasUnknown && !readSeries(text, pos)) {
        // right after words not understood, a phrase without its own subject may be about them
        addUnknown(start, cond.end);
      } else {
        assumptions.push(...(cond.assumed ?? []));
        addCondition(cond.value, start, cond.end);
      }
      pos = cond.end;
      continue;
    }
    if (marker) {
      role = marker[0];
      if (role === "short") sawShortRole = true;
      pos = endOf(marker[1] as RegExpExecArray);
      continue;
    }
    if (label) {
      themes.push(label[1].replace("-", " ").replace(/s$/, ""));
      pos = endOf(label);
      continue;
    }
    const word = /[a-z0-9'%+\-/.$<>=]+|[^\sa-z0-9]/y;
    word.lastIndex = pos;
    const w = (word.exec(text) ?? [text[pos]])[0];
    pos += w.length;
    const bare = w.replace(/[.,;:!?]+$/, "");
    if (OR_WORDS.has(bare)) sawOr = true;
    else if (NEGATIONS.has(bare)) {
      negated = true;
      addUnknown(start, pos);
    } else if (bare === "" || FILLERS.has(bare)) {
      afterUnknown = wasUnknown && !/^[,.;:!?]$/.test(w);
      continue;
    } else addUnknown(start, pos);
  }
  const theme = themes.map((t) => THEMES[t]).find((t) => t !== undefined);
  if (theme && !found.some((f) => f.role !== "exit")) {
    found.push({ role: sawShortRole ? "short" : "entry", cond: theme.entry, joinedByOr: false });
    if (!found.some((f) => f.role === "exit")) found.push({ role: "exit", cond: theme.exit, joinedByOr: false });
    plan.score ??= theme.score ?? null;
    assumptions.push(`theme "${themes.find((t) => THEMES[t])}" read as its textbook rules: ${theme.reading}`);
  }
  return assemble(
    text,
    found,
    sectors,
    plan,
    unknown.map(([a, b]) => text.slice(a, b).trim()),
    dedupe(assumptions),
    sawShortRole,
  );
}

/** The latest comparison, for "it" / "they" ("sell when it is below"). */
function lastComparison(found: Found[]): Condition | null {
  for (let k = found.length - 1; k >= 0; k--) {
    let c = found[k].cond;
    while (c.kind === "all" || c.kind === "any") c = c.of[c.of.length - 1];
    if (
      c.kind === "compare" ||
      c.kind === "cross" ||
      c.kind === "between" ||
      (c.kind === "trend" && c.left.kind !== "price")
    )
      return c;
  }
  return null;
}

function dedupe(xs: string[]): string[] {
  return [...new Set(xs)];
}

function readSector(text: string, pos: number): { value: string; end: number } | null {
  for (const [words, name] of SECTORS) {
    const m = at(
      text,
      pos,
      String.raw`(?:(?:in|from|within) (?:the )?(?:${words})(?: (?:sector|stocks|names|companies|shares|space|industry))?|(?:the )?(?:${words}) (?:sector|stocks|names|companies|shares|space|industry))`,
    );
    if (m) return { value: name, end: endOf(m) };
  }
  return null;
}

function flip(c: Condition): Condition | null {
  if (c.kind === "cross") return { ...c, dir: c.dir === "above" ? "below" : "above" };
  if (c.kind === "compare" && c.right.kind === "series") return { ...c, op: c.op === "above" ? "below" : "above" };
  return null;
}

/** The mean an entry rule measures from ("2 std below its 20 day mean" → the 20-day SMA). */
function meanOf(conds: Condition[]): { field: "close"; series: Series } | null {
  for (const c of conds) {
    if (c.kind !== "compare" && c.kind !== "cross") continue;
    const l = c.left;
    if (l.kind === "zscore")
      return { field: "close", series: { kind: "ma", type: "sma", field: l.field, period: l.period } };
    const r = c.right.kind === "series" ? c.right.series : null;
    if (r?.kind === "bollinger") return { field: "close", series: { ...r, band: "middle" } };
    if (r?.kind === "ma" && r.field === "close") return { field: "close", series: r };
  }
  return null;
}

/**
 * Joins conditions: "and" binds tighter than "or" (A and B or C = (A and B) or C), as in logic;
 * a mix of both is said back as an assumption by the caller.
 */
function combine(items: Found[]): Condition | null {
  if (items.length === 0) return null;
  const groups: Condition[][] = [];
  for (const f of items) {
    if (f.joinedByOr && groups.length > 0) groups.push([f.cond]);
    else if (groups.length === 0) groups.push([f.cond]);
    else groups[groups.length - 1].push(f.cond);
  }
  const parts = groups.map((g) => (g.length === 1 ? g[0] : ({ kind: "all", of: g } as Condition)));
  return parts.length === 1 ? parts[0] : { kind: "any", of: parts };
}

function mixesAndOr(items: Found[]): boolean {
  const ors = items.slice(1).filter((f) => f.joinedByOr).length;
  return ors > 0 && ors < items.length - 1;
}

function assemble(
  text: string,
  found: Found[],
  sectors: Set<string>,
  risk: Pick<RulePlan, "stopLoss" | "takeProfit" | "trailingStop" | "maxHoldBars" | "score">,
  notUnderstood: string[],
  assumptions: string[],
  sawShortRole: boolean,
): ParsedPlan {
  const longs = found.filter((f) => f.role === "entry");
  const shorts = found.filter((f) => f.role === "short");
  const side = shorts.length > 0 && longs.length === 0 ? "short" : "long";
  if (side === "long" && shorts.length > 0)
    notUnderstood.push("short entries alongside long entries (one side per strategy)");
  const entries = side === "short" ? shorts : longs;
  const combined = combine(entries);
  const sector: Condition | null = sectors.size > 0 ? { kind: "sector", sectors: [...sectors] } : null;
  const entry =
    combined && sector
      ? combined.kind === "all"
        ? { ...combined, of: [...combined.of, sector] }
        : ({ kind: "all", of: [combined, sector] } as Condition)
      : combined;
  const exits = found.filter((f) => f.role === "exit");
  if (mixesAndOr(entries) || mixesAndOr(exits))
    assumptions.push('"and" and "or" together read as: "and" first, then "or" (A and B or C = (A and B) or C)');
  if (!entry) return { normalized: text, plan: null, notUnderstood, assumptions };
  const exit = combine(exits);
  const plan: RulePlan = { version: RULES_VERSION, side, entry, exit, ...risk };
  if (!exit && !plan.trailingStop && plan.maxHoldBars === null && !(plan.stopLoss && plan.takeProfit)) {
    plan.maxHoldBars = 20;
    assumptions.push("no exit given: positions are closed after 20 bars");
  }
  void sawShortRole;
  return { normalized: text, plan, notUnderstood, assumptions };
}
