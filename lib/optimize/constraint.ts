/**
 * Constraints between parameters, e.g. `fast < slow` or `fast * 2 <= slow and stop < target`.
 * A small recursive-descent parser (never `eval`): numbers, parameter names, `true`/`false`,
 * + − * / with parentheses, one comparison (< <= > >= == !=) per clause, clauses joined by
 * `and`/`&&`. Booleans compare as 1/0; an enum parameter compares by equality with a quoted string.
 */

export class ConstraintError extends Error {
  constructor(
    readonly expression: string,
    message: string,
  ) {
    super(message);
    this.name = "ConstraintError";
  }
}

type Expr =
  | { k: "num"; v: number }
  | { k: "str"; v: string }
  | { k: "var"; name: string }
  | { k: "neg"; e: Expr }
  | { k: "bin"; op: "+" | "-" | "*" | "/"; a: Expr; b: Expr };

type Cmp = "<" | "<=" | ">" | ">=" | "==" | "!=";
interface Clause {
  op: Cmp;
  a: Expr;
  b: Expr;
}

/** A parsed constraint: its source, the parameters it names and a checker. */
export interface Constraint {
  source: string;
  params: string[];
  clauses: Clause[];
}

type Token = { t: "num"; v: number } | { t: "id"; v: string } | { t: "str"; v: string } | { t: "op"; v: string };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === " " || c === "\t") {
      i++;
      continue;
    }
    const num = /^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/.exec(src.slice(i));
    if (num) {
      out.push({ t: "num", v: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (id) {
      out.push({ t: "id", v: id[0] });
      i += id[0].length;
      continue;
    }
    if (c === '"' || c === "'") {
      const end = src.indexOf(c, i + 1);
      if (end < 0) throw new ConstraintError(src, `constraint "${src}": unterminated string`);
      out.push({ t: "str", v: src.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (["<=", ">=", "==", "!=", "&&"].includes(two)) {
      out.push({ t: "op", v: two });
      i += 2;
      continue;
    }
    if ("<>+-*/()".includes(c)) {
      out.push({ t: "op", v: c });
      i++;
      continue;
    }
    throw new ConstraintError(src, `constraint "${src}": unexpected character "${c}"`);
  }
  return out;
}

/** Parses a constraint; throws {@link ConstraintError} naming the problem (syntax or an unknown parameter). */
export function parseConstraint(src: string, knownParams: readonly string[]): Constraint {
  const toks = tokenize(src);
  let p = 0;
  const fail = (what: string): never => {
    throw new ConstraintError(src, `constraint "${src}": ${what}`);
  };
  const peek = (): Token | undefined => toks[p];
  const isOp = (v: string): boolean => peek()?.t === "op" && peek()!.v === v;
  const names = new Set<string>();
  function primary(): Expr {
    const t = toks[p++];
    if (!t) return fail("expression ends too early");
    if (t.t === "num") return { k: "num", v: t.v };
    if (t.t === "str") return { k: "str", v: t.v };
    if (t.t === "id") {
      if (t.v === "true") return { k: "num", v: 1 };
      if (t.v === "false") return { k: "num", v: 0 };
      if (!knownParams.includes(t.v)) fail(`unknown parameter "${t.v}" (known: ${knownParams.join(", ") || "none"})`);
      names.add(t.v);
      return { k: "var", name: t.v };
    }
    if (t.v === "(") {
      const e = sum();
      if (!isOp(")")) fail('missing ")"');
      p++;
      return e;
    }
    if (t.v === "-") return { k: "neg", e: primary() };
    return fail(`unexpected "${t.v}"`);
  }
  function product(): Expr {
    let a = primary();
    while (isOp("*") || isOp("/")) {
      const op = toks[p++].v as "*" | "/";
      a = { k: "bin", op, a, b: primary() };
    }
    return a;
  }
  function sum(): Expr {
    let a = product();
    while (isOp("+") || isOp("-")) {
      const op = toks[p++].v as "+" | "-";
      a = { k: "bin", op, a, b: product() };
    }
    return a;
  }
  const clauses: Clause[] = [];
  if (toks.length === 0) fail("empty expression");
  while (true) {
    const a = sum();
    const t = peek();
    if (!t || t.t !== "op" || !["<", "<=", ">", ">=", "==", "!="].includes(t.v))
      fail("expected a comparison such as fast < slow");
    p++;
    const b = sum();
    clauses.push({ op: t!.v as Cmp, a, b });
    const next = peek();
    if (!next) break;
    if ((next.t === "op" && next.v === "&&") || (next.t === "id" && next.v === "and")) {
      p++;
      continue;
    }
    fail(`unexpected "${String(next.v)}" after a comparison`);
  }
  return { source: src, params: [...names], clauses };
}

type Val = number | string | boolean;

function evalExpr(e: Expr, params: Record<string, Val>): number | string {
  switch (e.k) {
    case "num":
      return e.v;
    case "str":
      return e.v;
    case "var": {
      const v = params[e.name];
      return typeof v === "boolean" ? (v ? 1 : 0) : v;
    }
    case "neg":
      return -Number(evalExpr(e.e, params));
    case "bin": {
      const a = Number(evalExpr(e.a, params));
      const b = Number(evalExpr(e.b, params));
      return e.op === "+" ? a + b : e.op === "-" ? a - b : e.op === "*" ? a * b : a / b;
    }
  }
}

/** True when every clause holds for these parameter values. */
export function satisfies(c: Constraint, params: Record<string, Val>): boolean {
  for (const cl of c.clauses) {
    const a = evalExpr(cl.a, params);
    const b = evalExpr(cl.b, params);
    let ok: boolean;
    switch (cl.op) {
      case "<":
        ok = a < b;
        break;
      case "<=":
        ok = a <= b;
        break;
      case ">":
        ok = a > b;
        break;
      case ">=":
        ok = a >= b;
        break;
      case "==":
        ok = a === b;
        break;
      case "!=":
        ok = a !== b;
        break;
    }
    if (!ok) return false;
  }
  return true;
}

/** True when all constraints hold. */
export function satisfiesAll(cs: readonly Constraint[], params: Record<string, Val>): boolean {
  for (const c of cs) if (!satisfies(c, params)) return false;
  return true;
}
