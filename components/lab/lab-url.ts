/**
 * The Lab's state as URL query parameters, so Back, reload and a shared link reopen the same
 * work: the saved strategy version, the run whose results are shown, the request, the model,
 * the universe and date window, and the parameter values.
 *
 *   /w/<slug>/lab?strategy=<id>&v=<version>&run=<runId>&universe=demo-500&p={"fast":20}&prompt=…
 *
 * Unknown or malformed values are dropped (a hand-edited link never breaks the page).
 */
import type { ParamValues } from "./types";
import { isUuid } from "@/lib/schemas/ids";

export interface LabUrlState {
  strategy?: string;
  version?: number;
  run?: string;
  prompt?: string;
  model?: string;
  universe?: string;
  from?: string;
  to?: string;
  params?: ParamValues;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const NAME = /^[A-Za-z0-9:._\-/ ]{1,120}$/;
/** Longest request kept in the URL (browsers and proxies cope with ~8 KB URLs). */
export const MAX_URL_PROMPT = 2000;

function parseParams(raw: string | null): ParamValues | undefined {
  if (!raw) return undefined;
  try {
    const v: unknown = JSON.parse(raw);
    if (!v || typeof v !== "object" || Array.isArray(v)) return undefined;
    const out: ParamValues = {};
    for (const [k, x] of Object.entries(v))
      if ((typeof x === "number" && Number.isFinite(x)) || typeof x === "boolean" || typeof x === "string") out[k] = x;
    return Object.keys(out).length ? out : undefined;
  } catch {
    return undefined;
  }
}

/** Reads the Lab state from a query string (leading "?" optional). */
export function parseLabUrl(search: string | URLSearchParams): LabUrlState {
  const q = typeof search === "string" ? new URLSearchParams(search) : search;
  const s: LabUrlState = {};
  const strategy = q.get("strategy");
  if (strategy && isUuid(strategy)) s.strategy = strategy;
  const v = Number(q.get("v"));
  if (s.strategy && Number.isInteger(v) && v > 0) s.version = v;
  const run = q.get("run");
  if (run && isUuid(run)) s.run = run;
  const prompt = q.get("prompt");
  if (prompt) s.prompt = prompt.slice(0, MAX_URL_PROMPT);
  for (const key of ["model", "universe"] as const) {
    const x = q.get(key);
    if (x && NAME.test(x)) s[key] = x;
  }
  for (const key of ["from", "to"] as const) {
    const x = q.get(key);
    if (x && DAY.test(x)) s[key] = x;
  }
  const params = parseParams(q.get("p"));
  if (params) s.params = params;
  return s;
}

/** Writes the Lab state as a query string (without "?"); empty fields are left out. */
export function formatLabUrl(s: LabUrlState): string {
  const q = new URLSearchParams();
  if (s.strategy) q.set("strategy", s.strategy);
  if (s.strategy && s.version) q.set("v", String(s.version));
  if (s.run) q.set("run", s.run);
  if (s.universe) q.set("universe", s.universe);
  if (s.from) q.set("from", s.from);
  if (s.to) q.set("to", s.to);
  if (s.model) q.set("model", s.model);
  if (s.params && Object.keys(s.params).length) q.set("p", JSON.stringify(s.params));
  if (s.prompt) q.set("prompt", s.prompt.slice(0, MAX_URL_PROMPT));
  return q.toString();
}
