/**
 * Hostile and broken input against every REST route the OpenAPI document lists (and the route
 * handlers outside /api/v1 that take ids): no or bad keys, malformed JSON, bodies of the wrong
 * type, unknown and wrong-typed fields derived from the published schema, oversize strings, ids
 * that are not UUIDs / are random / belong to another workspace, garbage query parameters, broken
 * run-mode objects and broken file uploads. Every refusal is a 4xx JSON `{ error: { code, message } }`
 * without a stack trace, and a refused request writes nothing. On PGlite and on the real Postgres.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as openapiRoute from "@/app/api/v1/openapi.json/route";
import * as strategiesRoute from "@/app/api/v1/strategies/route";
import * as strategyRoute from "@/app/api/v1/strategies/[id]/route";
import * as lifecycleRoute from "@/app/api/v1/strategies/[id]/lifecycle/route";
import * as studiesRoute from "@/app/api/v1/strategies/[id]/studies/route";
import * as killSwitchRoute from "@/app/api/v1/lifecycle/kill-switch/route";
import * as runsRoute from "@/app/api/v1/runs/route";
import * as runRoute from "@/app/api/v1/runs/[id]/route";
import * as runEventsRoute from "@/app/api/v1/runs/[id]/events/route";
import * as cancelRoute from "@/app/api/v1/runs/[id]/cancel/route";
import * as resumeRoute from "@/app/api/v1/runs/[id]/resume/route";
import * as importRoute from "@/app/api/v1/data/import/route";
import * as universesRoute from "@/app/api/v1/data/universes/route";
import * as exportRoute from "@/app/api/v1/data/universes/[name]/export/route";
import * as reportsRoute from "@/app/api/v1/reports/route";
import * as legacyEventsRoute from "@/app/api/runs/[id]/events/route";
import * as screenCsvRoute from "@/app/api/screens/[runId]/csv/route";
import * as auditExportRoute from "@/app/api/audit/export/route";
import * as drainRoute from "@/app/api/jobs/drain/route";
import * as unknownRoute from "@/app/api/[...path]/route";
import * as signInRoute from "@/app/api/account/sign-in/route";
import * as trpcRoute from "@/app/api/trpc/[trpc]/route";
import { resetEnvCache } from "@/lib/env";
import { writeParquet } from "@/lib/data/parquet";
import { EXAMPLES } from "@/lib/sdk/examples";
import { setDatabaseForTests } from "@/server/db";
import {
  apiKeys,
  auditLog,
  hydrations,
  marketBarChunks,
  marketBarTail,
  marketSymbols,
  marketUniverses,
  optimizeTrials,
  reports,
  runs,
  strategies,
  strategyVersions,
  type RunInput,
  type RunResult,
} from "@/server/db/schema";
import { addToUniverse } from "@/server/data/service";
import { createStrategy } from "@/server/services/strategies";
import { seedWorkspace, type SeededWorkspace } from "@/tests/helpers/fixtures";
import { createTestDatabase, DRIVERS, type TestDatabase } from "@/tests/helpers/test-db";
import { keyFor } from "./rest-helpers";

// Requests without a key fall back to the session; these carry none.
vi.mock("next-auth", () => ({ AuthError: class AuthError extends Error {} }));
// Sign-in with any credentials fails as Auth.js reports wrong ones.
vi.mock("@/server/auth", async () => {
  const { AuthError } = await import("next-auth");
  return {
    auth: vi.fn(async () => null),
    currentUser: vi.fn(async () => null),
    signIn: vi.fn(async () => {
      throw new AuthError("CredentialsSignin");
    }),
  };
});

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  maxLength?: number;
  items?: JsonSchema;
  enum?: unknown[];
  format?: string;
  pattern?: string;
};

/** The handler of each path and method the OpenAPI document lists. */
const HANDLERS: Record<string, Record<string, Handler>> = {
  "/api/v1/strategies": { get: strategiesRoute.GET, post: strategiesRoute.POST },
  "/api/v1/strategies/{id}": { get: strategyRoute.GET },
  "/api/v1/strategies/{id}/lifecycle": { post: lifecycleRoute.POST },
  "/api/v1/strategies/{id}/studies": { get: studiesRoute.GET },
  "/api/v1/lifecycle/kill-switch": { post: killSwitchRoute.POST },
  "/api/v1/runs": { post: runsRoute.POST },
  "/api/v1/runs/{id}": { get: runRoute.GET },
  "/api/v1/runs/{id}/events": { get: runEventsRoute.GET },
  "/api/v1/runs/{id}/cancel": { post: cancelRoute.POST },
  "/api/v1/runs/{id}/resume": { post: resumeRoute.POST },
  "/api/v1/data/import": { post: importRoute.POST },
  "/api/v1/data/universes": { get: universesRoute.GET },
  "/api/v1/data/universes/{name}/export": { get: exportRoute.GET },
  "/api/v1/reports": { post: reportsRoute.POST },
};

interface Endpoint {
  path: string;
  method: string;
  params: string[];
  query: { name: string; required: boolean; enum?: string[] }[];
  bodyType: string | null;
  bodySchema: JsonSchema | null;
  handler: Handler;
}

/** Text that must never reach a client: stack frames, source paths, HTML error pages. */
const LEAKS = [/\n\s+at /, /\bat [\w.<>]+ \(/, /\/(work|home|app|src)\/\S+\.(ts|js|mjs)/, /node_modules/, /<html/i];

const NOT_UUIDS = [
  "not-a-uuid",
  "123",
  "../../etc/passwd",
  "' OR '1'='1",
  "00000000-0000-0000-0000-00000000000g",
  "x".repeat(5000),
  "%E0%A4%A",
  "{id}",
];

describe.each(DRIVERS)(
  "REST fuzzing (%s): hostile input is a 4xx JSON error, never a 500, and writes nothing",
  (driver) => {
    let t: TestDatabase;
    let s: SeededWorkspace;
    let key: string;
    let otherKey: string;
    let doc: { paths: Record<string, Record<string, Record<string, unknown>>> };
    let endpoints: Endpoint[];
    const ids = {
      strategy: "",
      run: "",
      foreignStrategy: "",
      foreignRun: "",
      foreignScreen: "",
      foreignUniverse: "other-desk",
    };

    const TABLES = {
      strategies,
      strategyVersions,
      runs,
      reports,
      apiKeys,
      auditLog,
      hydrations,
      marketSymbols,
      marketUniverses,
      marketBarChunks,
      marketBarTail,
      optimizeTrials,
    };
    const counts = async () => {
      const out: Record<string, number> = {};
      for (const [name, table] of Object.entries(TABLES)) out[name] = await t.db.$count(table);
      return out;
    };

    /**
     * Problems with one answer: not 4xx, not JSON, not the error shape, or leaking internals.
     * `expect` narrows the accepted statuses further.
     */
    async function inspect(label: string, res: Response, expectStatus?: number | number[]): Promise<string[]> {
      const problems: string[] = [];
      const type = res.headers.get("content-type") ?? "";
      const text = type.includes("event-stream") ? "" : await res.text();
      const wanted = expectStatus === undefined ? null : [expectStatus].flat();
      if (res.status < 400 || res.status >= 500) problems.push(`${label}: status ${res.status} ${text.slice(0, 200)}`);
      else if (wanted && !wanted.includes(res.status))
        problems.push(`${label}: status ${res.status}, expected ${wanted.join("/")} ${text.slice(0, 200)}`);
      if (!type.startsWith("application/json")) problems.push(`${label}: content-type "${type}"`);
      else {
        let body: { error?: { code?: unknown; message?: unknown } } | null = null;
        try {
          body = JSON.parse(text);
        } catch {
          problems.push(`${label}: body is not JSON: ${text.slice(0, 120)}`);
        }
        const err = body?.error;
        if (body && (typeof err?.code !== "string" || typeof err?.message !== "string" || !err.message))
          problems.push(`${label}: not the error shape: ${text.slice(0, 200)}`);
      }
      for (const leak of LEAKS) if (leak.test(text)) problems.push(`${label}: leaks ${leak}: ${text.slice(0, 300)}`);
      if (text.length > 300_000) problems.push(`${label}: an error of ${text.length} characters`);
      if (/(.)\1{500}/.test(text)) problems.push(`${label}: echoes a long input back: ${text.slice(0, 120)}`);
      if (type.includes("event-stream")) await res.body?.cancel();
      return problems;
    }

    /** Problems when the refusal does not name `field` in its message. */
    async function inspectNaming(label: string, res: Response, field: string, status?: number | number[]) {
      const copy = res.clone();
      const problems = await inspect(label, res, status);
      if (problems.length) return problems;
      const message = ((await copy.json()) as { error: { message: string } }).error.message;
      return message.toLowerCase().includes(field.toLowerCase())
        ? []
        : [`${label}: the message does not name "${field}": ${message}`];
    }

    const pathOf = (e: Endpoint, values: Record<string, string>) =>
      e.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? ""));

    function call(
      e: Endpoint,
      opts: {
        key?: string | null;
        params?: Record<string, string>;
        query?: string;
        body?: BodyInit | null;
        type?: string | null;
        headers?: Record<string, string>;
      } = {},
    ): Promise<Response> {
      const params = opts.params ?? defaultParams(e);
      const headers: Record<string, string> = { ...opts.headers };
      const k = opts.key === undefined ? key : opts.key;
      if (k) headers.authorization = `Bearer ${k}`;
      if (opts.type) headers["content-type"] = opts.type;
      const method = e.method.toUpperCase();
      const req = new Request(`http://localhost${pathOf(e, params)}${opts.query ?? ""}`, {
        method,
        headers,
        body: method === "GET" ? undefined : (opts.body ?? undefined),
      });
      return e.handler(req, { params: Promise.resolve(params) });
    }

    /** Ids of our own objects for each path parameter (reads); random ones for actions that would change them. */
    function defaultParams(e: Endpoint): Record<string, string> {
      const out: Record<string, string> = {};
      for (const p of e.params) {
        if (p === "name") out.name = "imported";
        else if (e.method !== "get") out[p] = crypto.randomUUID();
        else out[p] = e.path.startsWith("/api/v1/strategies") ? ids.strategy : ids.run;
      }
      return out;
    }

    /** A body the endpoint's schema accepts, to which one broken field is added. */
    function validBody(e: Endpoint): Record<string, unknown> {
      switch (e.path) {
        case "/api/v1/strategies":
          return { code: EXAMPLES["sma-cross"].source };
        case "/api/v1/strategies/{id}/lifecycle":
          return { event: "disable" };
        case "/api/v1/lifecycle/kill-switch":
          return { on: false };
        case "/api/v1/runs":
          return { strategy_id: ids.strategy, mode: "backtest", symbols: ["AAA"] };
        case "/api/v1/runs/{id}/resume":
          return { trials: 5 };
        case "/api/v1/reports":
          return { run_id: ids.run };
        default:
          throw new Error(`No valid body for ${e.method} ${e.path}: add one to the fuzz suite.`);
      }
    }

    /** JSON types a property schema accepts (null when it accepts anything). */
    function acceptedTypes(p: JsonSchema): Set<string> | null {
      const variants = p.anyOf ?? p.oneOf;
      if (variants) {
        const all = new Set<string>();
        for (const v of variants) {
          const sub = acceptedTypes(v);
          if (!sub) return null;
          for (const x of sub) all.add(x);
        }
        return all;
      }
      if (!p.type) return null;
      const types = new Set([p.type].flat());
      if (types.has("integer")) types.add("number");
      return types;
    }

    const SAMPLES: [string, unknown][] = [
      ["string", "wrong-type"],
      ["number", 12345],
      ["boolean", true],
      ["array", [1, 2]],
      ["object", { nested: 1 }],
      ["null", null],
    ];

    /** A value of a JSON type the property does not accept, or undefined when it accepts anything. */
    function wrongValue(p: JsonSchema): unknown {
      const ok = acceptedTypes(p);
      if (!ok) return undefined;
      return SAMPLES.find(([type]) => !ok.has(type))?.[1];
    }

    function stringProps(p: JsonSchema): { path: string; maxLength?: number; freeText: boolean }[] {
      return Object.entries(p.properties ?? {}).flatMap(([name, sub]) =>
        sub.type === "string"
          ? [{ path: name, maxLength: sub.maxLength, freeText: !sub.enum && !sub.format && !sub.pattern }]
          : [],
      );
    }

    beforeAll(async () => {
      process.env.LAB_API_KEY_RPM = "100000";
      resetEnvCache();
      t = await createTestDatabase(driver);
      setDatabaseForTests(t);
      s = await seedWorkspace(t.db);
      key = (await keyFor(t.db, s.users.owner.id, s.workspaceId, ["read", "run", "admin"])).key;
      otherKey = (await keyFor(t.db, s.outsider.id, s.otherWorkspaceId, ["read", "run", "admin"])).key;
      const as = (userId: string, workspaceId: string) => ({
        actor: { type: "user" as const, id: userId, label: "owner" },
        workspaceId,
        role: "owner" as const,
      });
      const code = EXAMPLES["sma-cross"].source;
      ids.strategy = (await createStrategy(t.db, as(s.users.owner.id, s.workspaceId), { code })).strategy.id;
      ids.foreignStrategy = (await createStrategy(t.db, as(s.outsider.id, s.otherWorkspaceId), { code })).strategy.id;
      const finished = (workspaceId: string, strategyId: string, kind: "backtest" | "screen") => ({
        workspaceId,
        kind,
        status: "succeeded" as const,
        input: { strategyId, version: 1 } as RunInput,
        result: { engine: { timestamps: [1, 2], equity: [1, 1.1] } } as RunResult,
        finishedAt: new Date(),
      });
      const [ours, theirs, theirScreen] = await t.db
        .insert(runs)
        .values([
          finished(s.workspaceId, ids.strategy, "backtest"),
          finished(s.otherWorkspaceId, ids.foreignStrategy, "backtest"),
          finished(s.otherWorkspaceId, ids.foreignStrategy, "screen"),
        ])
        .returning();
      ids.run = ours.id;
      ids.foreignRun = theirs.id;
      ids.foreignScreen = theirScreen.id;
      // A symbol of our own (the "imported" universe) and one of the other workspace's.
      const csv = "Date,Open,High,Low,Close,Volume\n2024-01-02,10,11,9,10.5,100\n2024-01-03,10.5,12,10,11,200\n";
      for (const [k, sym] of [
        [key, "OURS"],
        [otherKey, "THEIRS"],
      ]) {
        const res = await importRoute.POST(
          new Request(`http://localhost/api/v1/data/import?symbol=${sym}`, {
            method: "POST",
            headers: { authorization: `Bearer ${k}`, "content-type": "text/csv" },
            body: csv,
          }),
          { params: Promise.resolve({}) },
        );
        expect(res.status, await res.clone().text()).toBe(201);
      }
      await addToUniverse(t.db, s.otherWorkspaceId, ids.foreignUniverse, "Theirs", "THEIRS");

      doc = await openapiRoute.GET(new Request("http://localhost/api/v1/openapi.json")).json();
      endpoints = Object.entries(doc.paths).flatMap(([path, methods]) =>
        Object.entries(methods).map(([method, op]) => {
          const parameters = (op.parameters ?? []) as {
            name: string;
            in: string;
            required: boolean;
            schema: { enum?: string[] };
          }[];
          const content = (op.requestBody as { content?: Record<string, { schema: JsonSchema }> } | undefined)?.content;
          const [bodyType, media] = content ? Object.entries(content)[0] : [null, null];
          const handler = HANDLERS[path]?.[method];
          if (!handler) throw new Error(`The OpenAPI document lists ${method} ${path}; add its handler to the suite.`);
          return {
            path,
            method,
            params: parameters.filter((p) => p.in === "path").map((p) => p.name),
            query: parameters
              .filter((p) => p.in === "query")
              .map((p) => ({ name: p.name, required: p.required, enum: p.schema.enum })),
            bodyType,
            bodySchema: media?.schema ?? null,
            handler,
          };
        }),
      );
    });
    afterAll(async () => {
      delete process.env.LAB_API_KEY_RPM;
      resetEnvCache();
      await t?.close();
    });

    /** Run `fn`, and fail with every problem it collected and any row it wrote. */
    async function refusedWithoutWrites(fn: (problems: string[]) => Promise<void>) {
      const before = await counts();
      const problems: string[] = [];
      await fn(problems);
      expect(problems).toEqual([]);
      expect(await counts(), "a refused request wrote nothing").toEqual(before);
    }

    const jsonEndpoints = () => endpoints.filter((e) => e.bodyType === "application/json");

    it("the document lists every route of the suite, and each has a handler", () => {
      const listed = endpoints.map((e) => `${e.method} ${e.path}`);
      const handled = Object.entries(HANDLERS).flatMap(([p, ms]) => Object.keys(ms).map((m) => `${m} ${p}`));
      expect(listed.sort()).toEqual(handled.sort());
    });

    it("no key, a malformed key, a non-Bearer scheme: 401 JSON on every route", async () => {
      await refusedWithoutWrites(async (problems) => {
        for (const e of endpoints) {
          const label = `${e.method} ${e.path}`;
          problems.push(...(await inspect(`${label} without a key`, await call(e, { key: null }), 401)));
          problems.push(...(await inspect(`${label} with a garbage key`, await call(e, { key: "garbage" }), 401)));
          problems.push(
            ...(await inspect(
              `${label} with an unknown key`,
              await call(e, { key: `sl_AAAAAAAA_${"A".repeat(43)}` }),
              401,
            )),
          );
          problems.push(
            ...(await inspect(
              `${label} with Basic auth`,
              await call(e, { key: null, headers: { authorization: "Basic dXNlcjpwYXNz" } }),
              401,
            )),
          );
        }
      });
    });

    it("JSON routes: malformed JSON, the wrong content type, an empty body, bodies of the wrong type → 400", async () => {
      await refusedWithoutWrites(async (problems) => {
        const malformed = ["{", '{"a":', "{'single': 1}", "nul", "[1,2", "\u0000", '{"a":1}}', "\uFEFF{}"];
        const wrongTypes = ["[]", '"text"', "42", "null", "true", "[{}]"];
        for (const e of jsonEndpoints()) {
          const label = `${e.method} ${e.path}`;
          for (const body of malformed)
            problems.push(
              ...(await inspect(
                `${label} body ${JSON.stringify(body)}`,
                await call(e, { body, type: "application/json" }),
                400,
              )),
            );
          for (const body of wrongTypes)
            problems.push(
              ...(await inspectNaming(
                `${label} body ${body}`,
                await call(e, { body, type: "application/json" }),
                "body",
                400,
              )),
            );
          problems.push(
            ...(await inspect(`${label} empty body`, await call(e, { body: "", type: "application/json" }), 400)),
          );
          problems.push(...(await inspect(`${label} no body`, await call(e, { type: "application/json" }), 400)));
          const valid = JSON.stringify(validBody(e));
          for (const type of [null, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data"])
            problems.push(...(await inspect(`${label} as ${type}`, await call(e, { body: valid, type }), 400)));
          const huge = JSON.stringify({ ...validBody(e), pad: "x".repeat(1_100_000) });
          problems.push(
            ...(await inspect(`${label} 1.1 MB body`, await call(e, { body: huge, type: "application/json" }), 400)),
          );
          const deep = "[".repeat(50_000) + "]".repeat(50_000);
          problems.push(
            ...(await inspect(`${label} deeply nested`, await call(e, { body: deep, type: "application/json" }), 400)),
          );
        }
      });
    });

    it("JSON routes: unknown fields, wrong-typed fields from the schema and oversize strings → 400 naming the field", async () => {
      await refusedWithoutWrites(async (problems) => {
        for (const e of jsonEndpoints()) {
          const label = `${e.method} ${e.path}`;
          const base = validBody(e);
          const send = (body: unknown) => call(e, { body: JSON.stringify(body), type: "application/json" });
          for (const extra of ["workspace_id", "__proto__x", "id", "created_at", "is_admin"])
            problems.push(
              ...(await inspectNaming(
                `${label} unknown field ${extra}`,
                await send({ ...base, [extra]: "x" }),
                extra,
                400,
              )),
            );
          const props = e.bodySchema?.properties ?? {};
          expect(Object.keys(props).length, `${label} publishes its body's fields`).toBeGreaterThan(0);
          for (const [name, prop] of Object.entries(props)) {
            const wrong = wrongValue(prop);
            if (wrong === undefined) continue;
            problems.push(
              ...(await inspectNaming(
                `${label} ${name}=${JSON.stringify(wrong)}`,
                await send({ ...base, [name]: wrong }),
                name,
                400,
              )),
            );
          }
          for (const { path, maxLength, freeText } of stringProps(e.bodySchema ?? {})) {
            const long = "x".repeat(Math.min(maxLength !== undefined ? maxLength + 1 : 200_000, 900_000));
            problems.push(
              ...(await inspectNaming(
                `${label} ${path} of ${long.length} chars`,
                await send({ ...base, [path]: long }),
                path,
                [400, 404, 422],
              )),
            );
            if (maxLength === undefined && freeText)
              problems.push(`${label}: the string field ${path} publishes no maxLength`);
          }
          const textField = Object.keys(base).find((k) => typeof base[k] === "string");
          if (textField)
            problems.push(
              ...(await inspectNaming(
                `${label} NUL in ${textField}`,
                await send({ ...base, [textField]: `${String(base[textField])}\u0000` }),
                textField,
                400,
              )),
            );
        }
      });
    });

    it("path ids that are not UUIDs, random UUIDs and other workspaces' ids → 404", async () => {
      await refusedWithoutWrites(async (problems) => {
        for (const e of endpoints.filter((x) => x.params.length > 0)) {
          const label = `${e.method} ${e.path}`;
          const body = e.bodyType === "application/json" ? JSON.stringify(validBody(e)) : null;
          const type = body ? "application/json" : null;
          const param = e.params[0];
          const foreign =
            param === "name"
              ? ids.foreignUniverse
              : e.path.startsWith("/api/v1/strategies")
                ? ids.foreignStrategy
                : ids.foreignRun;
          const query = e.query.some((q) => q.name === "format") ? "?format=csv" : "";
          const candidates = param === "name" ? ["no-such-universe", "x".repeat(5000), "../imported"] : NOT_UUIDS;
          for (const id of [...candidates, crypto.randomUUID(), crypto.randomUUID().toUpperCase()])
            problems.push(
              ...(await inspect(
                `${label} ${param}=${id.slice(0, 40)}`,
                await call(e, { params: { [param]: id }, body, type, query }),
                404,
              )),
            );
          problems.push(
            ...(await inspect(
              `${label} another workspace's id`,
              await call(e, { params: { [param]: foreign }, body, type, query }),
              404,
            )),
          );
        }
      });
    });

    it("our own universe exports without the other workspace's symbols of the same universe name", async () => {
      const e = endpoints.find((x) => x.path === "/api/v1/data/universes/{name}/export")!;
      const res = await call(e, { params: { name: "imported" }, query: "?format=csv" });
      expect(res.status).toBe(200);
      const csv = await res.text();
      expect(csv).toContain("OURS");
      expect(csv).not.toContain("THEIRS");
    });

    it("garbage query parameters → never a 5xx; a declared one with a bad value → 400 naming it", async () => {
      await refusedWithoutWrites(async (problems) => {
        const garbage = [
          "?format=../../etc/passwd",
          "?x[]=1&x[]=2&__proto__[a]=1",
          "?limit=-1e309&cursor=%E0%A4%A&symbol=%3Cscript%3E",
          "?" + "a=".padEnd(20_000, "b"),
          "?format=%00",
          "?workspaceId=' OR 1=1 --",
        ];
        for (const e of endpoints) {
          const label = `${e.method} ${e.path}`;
          for (const q of garbage) {
            const res = await call(e, { query: q });
            if (res.status >= 500 || (res.status < 400 && e.method !== "get"))
              problems.push(`${label}${q.slice(0, 60)}: status ${res.status} ${(await res.text()).slice(0, 200)}`);
            else if (res.status >= 400) problems.push(...(await inspect(`${label}${q.slice(0, 60)}`, res)));
            else await res.body?.cancel();
          }
          for (const q of e.query) {
            problems.push(
              ...(await inspectNaming(
                `${label} ${q.name}=bogus`,
                await call(e, { query: `?${q.name}=bogus` }),
                q.name,
                400,
              )),
            );
            if (q.required)
              problems.push(
                ...(await inspectNaming(`${label} without ${q.name}`, await call(e, { query: "" }), q.name, 400)),
              );
          }
        }
      });
    });

    describe("run modes with broken objects", () => {
      const runsEndpoint = () => endpoints.find((e) => e.path === "/api/v1/runs" && e.method === "post")!;
      const start = (body: unknown) => call(runsEndpoint(), { body: JSON.stringify(body), type: "application/json" });
      const strategyRun = (mode: string, extra: Record<string, unknown>) => ({
        strategy_id: ids.strategy,
        mode,
        symbols: ["OURS"],
        ...extra,
      });
      const BROKEN_OBJECTS: unknown[] = ["x", 42, true, [], [{}], null, { unknown_field: 1 }];

      it("optimize, improve, evolve: the mode's object broken → 400 naming it, nothing queued", async () => {
        await refusedWithoutWrites(async (problems) => {
          for (const [mode, field] of [
            ["optimize", "study"],
            ["improve", "improve"],
            ["evolve", "evolve"],
          ] as const) {
            for (const broken of BROKEN_OBJECTS)
              problems.push(
                ...(await inspectNaming(
                  `${mode} ${field}=${JSON.stringify(broken)}`,
                  await start(strategyRun(mode, { [field]: broken })),
                  field,
                  400,
                )),
              );
            // The object sent to a mode it does not belong to.
            const elsewhere = mode === "optimize" ? "backtest" : "optimize";
            problems.push(
              ...(await inspectNaming(
                `${field} with mode ${elsewhere}`,
                await start(strategyRun(elsewhere, { [field]: {} })),
                field,
                400,
              )),
            );
          }
          // Nested fields of the wrong type or out of range.
          const nested: [string, Record<string, unknown>, string][] = [
            ["optimize", { study: { method: "magic", params: {} } }, "study"],
            ["optimize", { study: { objective: 5 } }, "study"],
            ["optimize", { study: { params: { len: { min: "a", max: [] } } } }, "study"],
            ["optimize", { study: { params: { len: { min: 50, max: 5 } }, trials: -3 } }, "study"],
            ["optimize", { study: { params: { "bad name!": { min: 1, max: 2 } } } }, "study"],
            ["optimize", { study: { params: { len: "1:" } } }, "study"],
            ["optimize", { study: { params: { len: { min: 1, max: 1e308, step: 0 } } } }, "study"],
            ["improve", { improve: { iterations: "many" } }, "improve"],
            ["improve", { improve: { iterations: -1 } }, "improve"],
            ["improve", { improve: { holdout: 7 } }, "improve"],
            ["improve", { improve: { min_return: "high" } }, "improve"],
            ["evolve", { evolve: { population: -1 } }, "evolve"],
            ["evolve", { evolve: { population: "big" } }, "evolve"],
            ["evolve", { evolve: { mutation_rate: 2 } }, "evolve"],
            ["evolve", { evolve: { seed_plans: "x" } }, "evolve"],
            ["evolve", { evolve: { generations: 1e12 } }, "evolve"],
          ];
          for (const [mode, extra, field] of nested)
            problems.push(
              ...(await inspectNaming(
                `${mode} ${JSON.stringify(extra)}`,
                await start(strategyRun(mode, extra)),
                field,
                [400, 422],
              )),
            );
          problems.push(
            ...(await inspectNaming(
              "optimize without a study",
              await start(strategyRun("optimize", {})),
              "study",
              400,
            )),
          );
          problems.push(
            ...(await inspectNaming(
              "improve without an improve object",
              await start(strategyRun("improve", {})),
              "improve",
              400,
            )),
          );
        });
      });

      it("hydrate: a missing, broken or misplaced `hydrate` object → 400 naming it, nothing queued", async () => {
        await refusedWithoutWrites(async (problems) => {
          for (const broken of [...BROKEN_OBJECTS, undefined])
            problems.push(
              ...(await inspectNaming(
                `hydrate=${JSON.stringify(broken)}`,
                await start({ mode: "hydrate", hydrate: broken }),
                "hydrate",
                400,
              )),
            );
          const cases: [Record<string, unknown>, string][] = [
            [{ provider: "no-such-provider", symbols: ["AAA"] }, "provider"],
            [{ provider: "", symbols: ["AAA"] }, "provider"],
            [{ provider: 7, symbols: ["AAA"] }, "provider"],
            [{ provider: "yahoo", symbols: [] }, "symbols"],
            [{ provider: "yahoo", symbols: "AAA" }, "symbols"],
            [{ provider: "yahoo", symbols: ["AAA"], all: true }, "symbols"],
            [{ provider: "yahoo", symbols: ["AAA"], from: "2024-05-01", to: "2024-01-01" }, "from"],
            [{ provider: "yahoo", symbols: ["AAA"], from: "yesterday" }, "from"],
            [{ provider: "yahoo", symbols: ["AAA"], from: "2024-13-45" }, "from"],
            [{ provider: "yahoo", symbols: ["AAA"], to: "9999-99-99" }, "to"],
            [{ provider: "yahoo", symbols: ["AAA"], universe: "Bad Name!" }, "universe"],
            [{ provider: "yahoo", symbols: ["x".repeat(100)] }, "symbols"],
          ];
          for (const [hydrate, field] of cases)
            problems.push(
              ...(await inspectNaming(
                `hydrate ${JSON.stringify(hydrate)}`,
                await start({ mode: "hydrate", hydrate }),
                field,
                400,
              )),
            );
          problems.push(
            ...(await inspectNaming(
              "hydrate with a strategy",
              await start({ mode: "hydrate", strategy_id: ids.strategy, hydrate: { provider: "yahoo", all: true } }),
              "strategy_id",
              400,
            )),
          );
          problems.push(
            ...(await inspectNaming(
              "hydrate object on a backtest",
              await start(strategyRun("backtest", { hydrate: {} })),
              "hydrate",
              400,
            )),
          );
        });
      });

      it("forward and the rest: broken dates, symbols, params and strategy ids → 4xx naming the problem", async () => {
        await refusedWithoutWrites(async (problems) => {
          const cases: [Record<string, unknown>, string, number | number[]][] = [
            [strategyRun("forward", { from: "not-a-date" }), "from", 400],
            [strategyRun("forward", { from: 20240101 }), "from", 400],
            [strategyRun("forward", { from: "2024-02-30" }), "from", 400],
            [strategyRun("forward", { to: "2024-01-01", from: "2024-06-01" }), "from", [400, 422]],
            [strategyRun("forward", { study: {} }), "study", 400],
            [strategyRun("forward", { symbols: [] }), "symbols", 400],
            [strategyRun("forward", { symbols: [""] }), "symbols", 400],
            [strategyRun("forward", { symbols: ["x".repeat(40)] }), "symbols", 400],
            [strategyRun("forward", { params: { len: { nested: 1 } } }), "params", 400],
            [strategyRun("forward", { params: [1] }), "params", 400],
            // Values the strategy (sma-cross: fast, slow, short) does not declare or cannot take.
            [strategyRun("backtest", { params: { no_such_param: 1 } }), "no_such_param", 422],
            [strategyRun("forward", { params: { fast: "abc" } }), "fast", 422],
            [strategyRun("backtest", { params: { fast: 100000 } }), "fast", 422],
            [strategyRun("screen", { params: { short: "maybe" } }), "short", 422],
            [strategyRun("evolve", { params: { __proto__x: 1 } }), "__proto__x", 422],
            [strategyRun("forward", { version: 0 }), "version", 400],
            [strategyRun("forward", { version: 1.5 }), "version", 400],
            [strategyRun("forward", { version: 99 }), "version", [404, 422]],
            [strategyRun("forward", { strategy_id: "nope" }), "strategy_id", 400],
            [{ mode: "forward", symbols: ["OURS"] }, "strategy_id", 400],
            [strategyRun("warp", {}), "mode", 400],
            [strategyRun("hydrate", {}), "hydrate", 400],
            [{ strategy_id: ids.strategy, mode: "backtest" }, "universe", 400],
            [strategyRun("backtest", { universe: "x".repeat(81) }), "universe", 400],
            [strategyRun("backtest", { from: "2024-01-01", to: "2023-01-01" }), "from", 400],
            [strategyRun("backtest", { config: {} }), "config", 400],
          ];
          for (const [body, field, status] of cases)
            problems.push(
              ...(await inspectNaming(`run ${JSON.stringify(body).slice(0, 120)}`, await start(body), field, status)),
            );
          for (const mode of ["backtest", "forward", "optimize", "improve", "evolve", "screen", "alert"]) {
            const extra =
              mode === "optimize"
                ? { study: { params: { fast: { min: 2, max: 5 } } } }
                : mode === "improve"
                  ? { improve: {} }
                  : {};
            for (const strategy of [crypto.randomUUID(), ids.foreignStrategy])
              problems.push(
                ...(await inspect(
                  `${mode} of a missing/foreign strategy`,
                  await start({ ...strategyRun(mode, extra), strategy_id: strategy }),
                  [400, 404],
                )),
              );
          }
        });
      });
    });

    describe("run objects: wrong-typed nested fields derived from the schema", () => {
      it("each field of study, improve, evolve, hydrate and config of the wrong type → 400 naming the object", async () => {
        await refusedWithoutWrites(async (problems) => {
          const e = endpoints.find((x) => x.path === "/api/v1/runs" && x.method === "post")!;
          const props = e.bodySchema?.properties ?? {};
          const modeOf: Record<string, string> = {
            study: "optimize",
            improve: "improve",
            evolve: "evolve",
            hydrate: "hydrate",
            config: "optimize",
          };
          let tried = 0;
          for (const [field, mode] of Object.entries(modeOf)) {
            const schema = props[field];
            const objectSchema = schema?.properties ? schema : (schema?.anyOf ?? []).find((v) => v.properties);
            expect(objectSchema, `${field} publishes its fields`).toBeTruthy();
            for (const [sub, subSchema] of Object.entries(objectSchema?.properties ?? {})) {
              const wrong = wrongValue(subSchema);
              if (wrong === undefined) continue;
              tried++;
              const body =
                mode === "hydrate"
                  ? { mode, hydrate: { provider: "yahoo", symbols: ["AAA"], [sub]: wrong } }
                  : {
                      strategy_id: ids.strategy,
                      mode,
                      symbols: ["OURS"],
                      ...(mode === "optimize" ? { study: { params: { fast: { min: 2, max: 5 } } } } : {}),
                      ...(mode === "improve" ? { improve: {} } : {}),
                      [field]: {
                        ...(field === "study" ? { params: { fast: { min: 2, max: 5 } } } : {}),
                        [sub]: wrong,
                      },
                    };
              const res = await call(e, { body: JSON.stringify(body), type: "application/json" });
              problems.push(...(await inspectNaming(`${field}.${sub}=${JSON.stringify(wrong)}`, res, field, 400)));
            }
          }
          expect(tried, "the schema yields nested fields to break").toBeGreaterThan(20);
        });
      });

      it("numbers past the database's integer range or absurd sizes → 4xx, never a 500", async () => {
        await refusedWithoutWrites(async (problems) => {
          const e = endpoints.find((x) => x.path === "/api/v1/runs" && x.method === "post")!;
          const base = { strategy_id: ids.strategy, mode: "backtest", symbols: ["OURS"] };
          const bodies: Record<string, unknown>[] = [
            { ...base, version: 2 ** 31 },
            { ...base, version: 3_000_000_000 },
            { ...base, version: Number.MAX_SAFE_INTEGER },
            { ...base, version: Infinity }, // sent as 1e400 (JSON.stringify writes null; replaced below)
            { ...base, mode: "evolve", evolve: { population: 2 ** 31, generations: 2 ** 31 } },
            { ...base, mode: "evolve", evolve: { seed: 2 ** 63 } },
            { ...base, mode: "optimize", study: { params: { fast: { min: 2, max: 5 } }, trials: 2 ** 40 } },
            { ...base, params: { fast: 1e308 * 10 } },
          ];
          for (const body of bodies) {
            const text = JSON.stringify(body).replace("null", "1e400");
            const res = await call(e, { body: text, type: "application/json" });
            problems.push(...(await inspect(`run ${text.slice(0, 140)}`, res, [400, 404, 422])));
          }
          const reportsEndpoint = endpoints.find((x) => x.path === "/api/v1/reports")!;
          for (const days of [0, -1, 3651, 2 ** 31, 1.5, "30"])
            problems.push(
              ...(await inspectNaming(
                `report expires_in_days=${days}`,
                await call(reportsEndpoint, {
                  body: JSON.stringify({ run_id: ids.run, expires_in_days: days }),
                  type: "application/json",
                }),
                "expires_in_days",
                400,
              )),
            );
        });
      });
    });

    describe("ids of the wrong kind or state", () => {
      it("reports of a screen, queued or failed run and resume of a non-study → 4xx; cancel of a finished run changes nothing", async () => {
        const [screen, queued, failed] = await t.db
          .insert(runs)
          .values([
            {
              workspaceId: s.workspaceId,
              kind: "screen",
              status: "succeeded",
              input: { strategyId: ids.strategy, version: 1 } as RunInput,
              result: { rows: [] } as unknown as RunResult,
              finishedAt: new Date(),
            },
            {
              workspaceId: s.workspaceId,
              kind: "backtest",
              status: "queued",
              input: { strategyId: ids.strategy, version: 1 } as RunInput,
            },
            {
              workspaceId: s.workspaceId,
              kind: "backtest",
              status: "failed",
              input: { strategyId: ids.strategy, version: 1 } as RunInput,
              error: "boom",
              finishedAt: new Date(),
            },
          ])
          .returning();
        await refusedWithoutWrites(async (problems) => {
          const post = (path: string, id: string | null, body?: unknown) => {
            const e = endpoints.find((x) => x.path === path && x.method === "post")!;
            return call(e, {
              params: id ? { id } : {},
              body: body === undefined ? null : JSON.stringify(body),
              type: body === undefined ? null : "application/json",
            });
          };
          for (const run of [screen, queued, failed])
            problems.push(
              ...(await inspect(
                `report of a ${run.status} ${run.kind} run`,
                await post("/api/v1/reports", null, { run_id: run.id }),
                [404, 409, 422],
              )),
            );
          for (const run of [ids.run, screen.id, queued.id, failed.id])
            problems.push(
              ...(await inspect(
                `resume of a non-study ${run}`,
                await post("/api/v1/runs/{id}/resume", run, { trials: 5 }),
                [404, 409, 422],
              )),
            );
          // Cancelling a finished run is a no-op that answers the run as it is (and audits nothing).
          for (const run of [ids.run, screen.id, failed.id]) {
            const res = await post("/api/v1/runs/{id}/cancel", run);
            const body = await res.json();
            if (res.status !== 200 || body.id !== run || body.status === "cancelled")
              problems.push(`cancel of a finished run: ${res.status} ${JSON.stringify(body).slice(0, 160)}`);
          }
          const lifecycle = endpoints.find((x) => x.path === "/api/v1/strategies/{id}/lifecycle")!;
          for (const body of [
            { event: "promote" },
            { event: "reactivate" },
            { event: "start_shadow", reason: "r".repeat(501) },
          ])
            problems.push(
              ...(await inspect(
                `lifecycle ${JSON.stringify(body).slice(0, 60)}`,
                await call(lifecycle, {
                  params: { id: ids.strategy },
                  body: JSON.stringify(body),
                  type: "application/json",
                }),
                [400, 403, 409, 422],
              )),
            );
          const create = endpoints.find((x) => x.path === "/api/v1/strategies" && x.method === "post")!;
          for (const body of [
            { prompt: "a moving average cross", model: "no-such-model" },
            { prompt: "a moving average cross", model: "openai:gpt-nope" },
            { code: "this is not code {{{" },
            { code: "export default 42;" },
            { code: " " },
          ])
            problems.push(
              ...(await inspect(
                `create ${JSON.stringify(body).slice(0, 60)}`,
                await call(create, { body: JSON.stringify(body), type: "application/json" }),
                [400, 422, 503],
              )),
            );
        });
      });
    });

    describe("file uploads to /api/v1/data/import", () => {
      const upload = (body: BodyInit | null, type: string | null, query = "?symbol=FUZZ") =>
        call(
          endpoints.find((e) => e.path === "/api/v1/data/import")!,
          { body, type, query },
        );
      const form = (file: Blob | string | null, name = "bars.csv", extra: Record<string, string> = {}) => {
        const f = new FormData();
        if (file !== null) f.set("file", file instanceof Blob ? new File([file], name) : file);
        for (const [k, v] of Object.entries(extra)) f.set(k, v);
        return f;
      };
      const parquet = () => {
        const ts = new Float64Array([Date.UTC(2024, 0, 2), Date.UTC(2024, 0, 3)]);
        const col = (v: number[]) => new Float64Array(v);
        return writeParquet([
          { name: "timestamp", kind: "timestamp-ms", values: ts },
          { name: "open", kind: "double", values: col([10, 10.5]) },
          { name: "high", kind: "double", values: col([11, 12]) },
          { name: "low", kind: "double", values: col([9, 10]) },
          { name: "close", kind: "double", values: col([10.5, 11]) },
        ]);
      };
      /** A well-formed Parquet file of bars with hostile values. */
      const hostileParquet = (
        ts: number[],
        close: number[] | string[],
        more: Partial<Record<string, number[]>> = {},
      ) => {
        const col = (v: number[]) => new Float64Array(v);
        const n = ts.length;
        const fill = (v: number) => col(Array.from({ length: n }, () => v));
        return new Uint8Array(
          writeParquet([
            { name: "timestamp", kind: "timestamp-ms", values: col(ts) },
            { name: "open", kind: "double", values: more.open ? col(more.open) : fill(10) },
            { name: "high", kind: "double", values: more.high ? col(more.high) : fill(12) },
            { name: "low", kind: "double", values: more.low ? col(more.low) : fill(9) },
            typeof close[0] === "string"
              ? { name: "close", kind: "string", values: close as string[] }
              : { name: "close", kind: "double", values: col(close as number[]) },
          ]),
        );
      };
      const garbage = () => {
        const bytes = new Uint8Array(4096);
        let x = 12345;
        for (let i = 0; i < bytes.length; i++) bytes[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
        return bytes;
      };

      it("broken files, empty bodies and wrong types → 4xx JSON, nothing written", async () => {
        await refusedWithoutWrites(async (problems) => {
          const good = new Uint8Array(parquet());
          const cases: [string, BodyInit | null, string | null, string?][] = [
            ["empty CSV body", "", "text/csv"],
            ["no body", null, "text/csv"],
            ["header only", "Date,Open,High,Low,Close,Volume\n", "text/csv"],
            ["CSV with NUL bytes", "Date,Open,High,Low,Close\n2024-01-02,1\u0000,2,0.5,1.5\n", "text/csv"],
            ["NUL-only CSV", "\u0000\u0000\u0000", "text/csv"],
            ["binary garbage as CSV", garbage(), "text/csv"],
            ["binary garbage as Parquet", garbage(), "application/vnd.apache.parquet"],
            ["truncated Parquet (half)", good.slice(0, Math.floor(good.length / 2)), "application/vnd.apache.parquet"],
            ["truncated Parquet (no footer)", good.slice(0, good.length - 8), "application/vnd.apache.parquet"],
            ["Parquet magic only", new Uint8Array([0x50, 0x41, 0x52, 0x31]), "application/vnd.apache.parquet"],
            [
              "Parquet magic twice",
              new Uint8Array([0x50, 0x41, 0x52, 0x31, 0x50, 0x41, 0x52, 0x31]),
              "application/vnd.apache.parquet",
            ],
            ["0-byte Parquet", new Uint8Array(), "application/vnd.apache.parquet"],
            ["Parquet sent as CSV", good, "text/csv"],
            ["CSV of the wrong content type", "Date,Open\n", "application/json"],
            ["no content type", "Date,Open\n", null],
            ["0-byte multipart file", form(new Blob([])), null],
            ["0-byte multipart Parquet", form(new Blob([]), "bars.parquet"), null],
            ["truncated multipart Parquet", form(new Blob([good.slice(0, 40)]), "bars.parquet"), null],
            ["multipart garbage", form(new Blob([garbage()]), "bars.csv"), null],
            ["multipart without a file", form(null, "x", { symbol: "FUZZ" }), null],
            ["multipart file as a text field", form("Date,Open\n"), null],
            ["multipart with a broken boundary", "--nope\r\n\r\n", "multipart/form-data; boundary=abc"],
            ["multipart without a boundary", "x", "multipart/form-data"],
            ["huge declared length", "x", "text/csv"],
            [
              "CSV with a 1 MB line",
              `Date,Open,High,Low,Close\n2024-01-02,${"9".repeat(1_000_000)},2,0.5,1.5\n`,
              "text/csv",
            ],
            ["quoted field never closed", 'Date,Open,High,Low,Close\n"2024-01-02,1,2,0.5,1.5\n', "text/csv"],
            ["numbers that are not", "Date,Open,High,Low,Close\n2024-01-02,NaN,Infinity,-Infinity,1e999\n", "text/csv"],
            ["a year past JavaScript dates", "Date,Open,High,Low,Close\n+275761-01-01,1,2,0.5,1.5\n", "text/csv"],
            ["a Unix time of 1e19", "Date,Open,High,Low,Close\n10000000000000000000,1,2,0.5,1.5\n", "text/csv"],
            ["year 99999", "Date,Open,High,Low,Close\n99999-01-01,1,2,0.5,1.5\n", "text/csv"],
            ["negative and zero prices", "Date,Open,High,Low,Close\n2024-01-02,-1,0,-5,-2\n", "text/csv"],
            ["1e308 prices", "Date,Open,High,Low,Close,Volume\n2024-01-02,1e308,1e308,1e308,1e308,1e308\n", "text/csv"],
            ["10,000 columns", `${"C,".repeat(10_000)}Date,Open,High,Low,Close\n`, "text/csv"],
            ["5 MB of garbage lines", "Date,Open,High,Low,Close\n" + "x\n".repeat(2_500_000), "text/csv"],
            ["invalid UTF-8", new Uint8Array([0x44, 0x61, 0x74, 0x65, 0xff, 0xfe, 0x0a, 0xc3, 0x28]), "text/csv"],
          ];
          const day = 86_400_000;
          const PARQUET = "application/vnd.apache.parquet";
          cases.push(
            ["Parquet: timestamps past JavaScript dates", hostileParquet([9e15, 9e15 + day], [10, 11]), PARQUET],
            [
              "Parquet: timestamps just past the Date range",
              hostileParquet([8.64e15, 8.64e15 + day], [10, 11]),
              PARQUET,
            ],
            ["Parquet: timestamps before year 0", hostileParquet([-9e15, -9e15 + day], [10, 11]), PARQUET],
            [
              "Parquet: duplicate timestamps",
              hostileParquet([Date.UTC(2024, 0, 2), Date.UTC(2024, 0, 2)], [10, 11]),
              PARQUET,
            ],
            [
              "Parquet: descending timestamps",
              hostileParquet([Date.UTC(2024, 0, 3), Date.UTC(2024, 0, 2)], [10, 11]),
              PARQUET,
            ],
            [
              "Parquet: NaN and infinite prices",
              hostileParquet([Date.UTC(2024, 0, 2), Date.UTC(2024, 0, 3)], [Number.NaN, Infinity]),
              PARQUET,
            ],
            [
              "Parquet: close as text",
              hostileParquet([Date.UTC(2024, 0, 2), Date.UTC(2024, 0, 3)], ["ten", "11"]),
              PARQUET,
            ],
            [
              "Parquet: high below low",
              hostileParquet([Date.UTC(2024, 0, 2), Date.UTC(2024, 0, 3)], [10, 11], { high: [1, 1] }),
              PARQUET,
            ],
            ["Parquet: no rows", hostileParquet([], []), PARQUET],
          );
          for (const [label, body, type] of cases) {
            const headers = label === "huge declared length" ? { "content-length": "999999999999" } : undefined;
            const res = headers
              ? await call(
                  endpoints.find((e) => e.path === "/api/v1/data/import")!,
                  { body, type, query: "?symbol=FUZZ", headers },
                )
              : await upload(body, type);
            problems.push(...(await inspect(`import: ${label}`, res, [400, 413, 415, 422])));
          }
          const csv = "Date,Open,High,Low,Close\n2024-01-02,1,2,0.5,1.5\n";
          for (const [label, query] of [
            ["no symbol", ""],
            ["empty symbol", "?symbol="],
            ["NUL symbol", "?symbol=%00"],
            ["oversize symbol", `?symbol=${"S".repeat(5000)}`],
            ["path as symbol", "?symbol=../../etc/passwd"],
            ["bad timezone", "?symbol=FUZZ&timezone=Mars/Olympus"],
            ["bad no_header", "?symbol=FUZZ&no_header=maybe"],
            ["empty timezone", "?symbol=FUZZ&timezone="],
            ["blank timezone", "?symbol=FUZZ&timezone=%20"],
            ["timezone as a path", "?symbol=FUZZ&timezone=../../etc/localtime"],
          ])
            problems.push(...(await inspect(`import: ${label}`, await upload(csv, "text/csv", query), [400, 422])));
        });
      });
    });

    describe("route handlers outside /api/v1", () => {
      const ws = () => `?workspaceId=${s.workspaceId}`;
      const get = (handler: Handler, path: string, params: Record<string, string>, k: string | null = key) =>
        handler(new Request(`http://localhost${path}`, { headers: k ? { authorization: `Bearer ${k}` } : {} }), {
          params: Promise.resolve(params),
        });

      it("run events and screen CSV: bad, random and foreign ids → 404; no key → 401; bad workspace → 4xx", async () => {
        await refusedWithoutWrites(async (problems) => {
          const routes: [string, Handler, string, string][] = [
            ["/api/runs/{id}/events", legacyEventsRoute.GET as Handler, "id", ids.foreignRun],
            ["/api/screens/{id}/csv", screenCsvRoute.GET as Handler, "runId", ids.foreignScreen],
          ];
          for (const [path, handler, param, foreign] of routes) {
            for (const id of [...NOT_UUIDS, crypto.randomUUID(), foreign])
              problems.push(
                ...(await inspect(
                  `${path} ${id.slice(0, 40)}`,
                  await get(handler, path.replace("{id}", "x") + ws(), { [param]: id }),
                  404,
                )),
              );
            problems.push(
              ...(await inspect(
                `${path} without a key`,
                await get(handler, path + ws(), { [param]: ids.run }, null),
                401,
              )),
            );
            for (const w of [
              "",
              "?workspaceId=",
              "?workspaceId=not-a-uuid",
              `?workspaceId=${crypto.randomUUID()}`,
              `?workspaceId=${s.otherWorkspaceId}`,
              "?workspaceId=%00",
            ])
              problems.push(
                ...(await inspect(`${path}${w}`, await get(handler, path + w, { [param]: ids.run }), [400, 403, 404])),
              );
          }
          // Our own backtest run is not a screen: its CSV is a 404 too, not a 500.
          problems.push(
            ...(await inspect(
              "screen CSV of a backtest run",
              await get(screenCsvRoute.GET as Handler, "/x" + ws(), { runId: ids.run }),
              [404, 409, 422],
            )),
          );
        });
      });

      it("audit export: no key → 401, bad filters → 400 naming them, bad workspace → 4xx", async () => {
        await refusedWithoutWrites(async (problems) => {
          const h = auditExportRoute.GET as Handler;
          problems.push(
            ...(await inspect("audit without a key", await get(h, `/api/audit/export${ws()}`, {}, null), 401)),
          );
          for (const [q, field] of [
            ["&from=yesterday", "from"],
            ["&to=2024-13-45", "to"],
            ["&from=2024-01-01T25:99", "from"],
            ["&actorId=" + "a".repeat(100), "actorId"],
            ["&action=" + "a".repeat(5000), "action"],
          ])
            problems.push(
              ...(await inspectNaming(
                `audit ${q.slice(0, 40)}`,
                await get(h, `/api/audit/export${ws()}${q}`, {}),
                field,
                400,
              )),
            );
          for (const w of [
            "",
            "?workspaceId=nope",
            `?workspaceId=${crypto.randomUUID()}`,
            `?workspaceId=${s.otherWorkspaceId}`,
          ])
            problems.push(...(await inspect(`audit ${w}`, await get(h, `/api/audit/export${w}`, {}), [400, 403, 404])));
        });
      });

      it("tRPC endpoint: malformed paths, inputs and bodies → 4xx JSON without a stack; bad ids → NOT_FOUND or BAD_REQUEST", async () => {
        await refusedWithoutWrites(async (problems) => {
          const trpc = (method: string, path: string, opts: { body?: string; k?: string | null } = {}) => {
            const k = opts.k === undefined ? key : opts.k;
            return (method === "GET" ? trpcRoute.GET : trpcRoute.POST)(
              new Request(`http://localhost/api/trpc/${path}`, {
                method,
                headers: { ...(k ? { authorization: `Bearer ${k}` } : {}), "content-type": "application/json" },
                body: opts.body,
              }),
            );
          };
          const input = (v: unknown) => encodeURIComponent(JSON.stringify(v));
          const wsId = s.workspaceId;
          const cases: [string, string, string, { body?: string; k?: string | null }?][] = [
            ["unknown procedure", "GET", "no.such.procedure"],
            ["malformed path", "GET", "%E0%A4%A"],
            ["malformed path with an oversize body", "POST", "%E0%A4%A", { body: "x".repeat(1_100_000) }],
            ["malformed input", "GET", "runs.get?input=%7B"],
            ["malformed body", "POST", "strategies.create", { body: "{" }],
            ["array body", "POST", "strategies.create", { body: "[]" }],
            ["no session or key", "GET", `runs.get?input=${input({ workspaceId: wsId, runId: ids.run })}`, { k: null }],
            ["non-UUID run id", "GET", `runs.get?input=${input({ workspaceId: wsId, runId: "nope" })}`],
            ["random run id", "GET", `runs.get?input=${input({ workspaceId: wsId, runId: crypto.randomUUID() })}`],
            ["foreign run id", "GET", `runs.get?input=${input({ workspaceId: wsId, runId: ids.foreignRun })}`],
            ["garbage workspace", "GET", `runs.get?input=${input({ workspaceId: "' OR 1=1", runId: ids.run })}`],
            [
              "foreign workspace",
              "GET",
              `runs.get?input=${input({ workspaceId: s.otherWorkspaceId, runId: ids.foreignRun })}`,
            ],
            ["batch of garbage", "GET", `runs.get,strategies.get?batch=1&input=${input({ 0: null, 1: "x" })}`],
            [
              "huge version",
              "GET",
              `strategies.get?input=${input({ workspaceId: ws, strategyId: ids.strategy, version: 2 ** 31 })}`,
            ],
          ];
          for (const [label, method, path, opts] of cases) {
            const res = await trpc(method, path, opts);
            const text = await res.text();
            if (res.status < 400 || res.status >= 500)
              problems.push(`tRPC ${label}: status ${res.status} ${text.slice(0, 200)}`);
            if (!(res.headers.get("content-type") ?? "").startsWith("application/json"))
              problems.push(`tRPC ${label}: content-type ${res.headers.get("content-type")}`);
            for (const leak of LEAKS)
              if (leak.test(text)) problems.push(`tRPC ${label}: leaks ${leak}: ${text.slice(0, 300)}`);
            if (/"stack"/.test(text)) problems.push(`tRPC ${label}: carries a stack: ${text.slice(0, 300)}`);
          }
        });
      });

      it("sign-in: malformed, wrong-typed and oversize bodies → 400 JSON; wrong credentials → 401 JSON", async () => {
        await refusedWithoutWrites(async (problems) => {
          const signIn = (body: string, type = "application/json") =>
            signInRoute.POST(
              new Request("http://localhost/api/account/sign-in", {
                method: "POST",
                headers: { "content-type": type },
                body,
              }),
            );
          for (const body of [
            "{",
            "",
            "[]",
            "null",
            '"x"',
            JSON.stringify({ email: 1, password: 2 }),
            JSON.stringify({ email: "a@b.c" }),
            JSON.stringify({ email: "a@b.c", password: "x", role: "owner" }),
            JSON.stringify({ email: "a".repeat(300), password: "x" }),
            JSON.stringify({ email: "a@b.c", password: "p".repeat(100_000) }),
            JSON.stringify({ email: "a@b.c\u0000", password: "x" }),
          ])
            problems.push(...(await inspect(`sign-in ${body.slice(0, 60)}`, await signIn(body), 400)));
          problems.push(
            ...(await inspect(
              "sign-in with wrong credentials",
              await signIn(JSON.stringify({ email: "nobody@example.test", password: "wrong" })),
              401,
            )),
          );
        });
      });

      it("an /api path no route handles: a JSON 404 naming it, for every method", async () => {
        await refusedWithoutWrites(async (problems) => {
          const byMethod = {
            GET: unknownRoute.GET,
            POST: unknownRoute.POST,
            PUT: unknownRoute.PUT,
            PATCH: unknownRoute.PATCH,
            DELETE: unknownRoute.DELETE,
          };
          for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"] as const)
            for (const path of [
              "/api/v1/nope",
              "/api/v1/strategies/a/b/c",
              "/api/v2/runs",
              "/api/" + "x".repeat(3000),
            ]) {
              const res = await byMethod[method](
                new Request(`http://localhost${path}`, { method, headers: { authorization: `Bearer ${key}` } }),
              );
              problems.push(
                ...(await inspectNaming(`${method} ${path.slice(0, 40)}`, res.clone(), path.slice(0, 20), 404)),
              );
            }
        });
      });

      it("job drain: unset secret → 404 JSON, a wrong secret → 401 JSON, garbage seconds never a 5xx", async () => {
        await refusedWithoutWrites(async (problems) => {
          const drain = (auth: string | null, q = "") =>
            drainRoute.POST(
              new Request(`http://localhost/api/jobs/drain${q}`, {
                method: "POST",
                headers: auth ? { authorization: auth } : {},
              }),
            );
          problems.push(...(await inspect("drain without a secret configured", await drain("Bearer x"), 404)));
          process.env.LAB_CRON_SECRET = "s".repeat(32);
          resetEnvCache();
          try {
            for (const auth of [null, "Bearer wrong", "Bearer " + "s".repeat(31) + "é", "s".repeat(32)])
              problems.push(...(await inspect(`drain with ${auth}`, await drain(auth, "?seconds=abc"), 401)));
          } finally {
            delete process.env.LAB_CRON_SECRET;
            resetEnvCache();
          }
        });
      });
    });
  },
);
