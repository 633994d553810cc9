/**
 * A schema checked inside a procedure's body (not by its input validator) is bad input, not a
 * server fault: the caller gets BAD_REQUEST (HTTP 400) with a message naming the field(s) and the
 * flattened zod issues, exactly like an input-validator failure. Any other thrown error stays a
 * logged 500 whose message hides the cause.
 */
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { createCallerFactory, publicProcedure, router, workspaceProcedure } from "@/server/api/trpc";
import { ctxFor, seedWorkspace, type SeededWorkspace } from "@/tests/helpers/fixtures";
import { createTestDatabase, DRIVERS, type TestDatabase } from "@/tests/helpers/test-db";

const spec = z.object({ symbols: z.array(z.string()).min(1, "pick at least one symbol"), window: z.number().int() });

const testRouter = router({
  bodyParse: workspaceProcedure("runs.read")
    .input(z.object({ workspaceId: z.string(), raw: z.unknown() }))
    .mutation(({ input }) => spec.parse(input.raw)),
  validated: publicProcedure.input(spec).query(({ input }) => input),
  broken: publicProcedure.query(() => {
    throw new Error("secret detail: connection string postgres://x");
  }),
});
const createCaller = createCallerFactory(testRouter);

describe.each(DRIVERS)("zod errors inside procedure bodies on %s", (driver) => {
  let t: TestDatabase;
  let s: SeededWorkspace;
  beforeAll(async () => {
    t = await createTestDatabase(driver);
    s = await seedWorkspace(t.db);
  });
  afterAll(async () => t?.close());

  const caught = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (err) {
      return err as { code: string; message: string };
    }
    throw new Error("the call must fail");
  };

  it("a ZodError thrown by the body is BAD_REQUEST naming the fields (caller)", async () => {
    const caller = createCaller(ctxFor(t.db, s.users.viewer));
    const err = await caught(caller.bodyParse({ workspaceId: s.workspaceId, raw: { symbols: [], window: 2.5 } }));
    expect(err.code).toBe("BAD_REQUEST");
    expect(err.message).toContain("symbols: pick at least one symbol");
    expect(err.message).toMatch(/window: /);
  });

  it("over HTTP it answers 400 with the fields, like an input-validator failure", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const call = async (path: string, init: RequestInit) =>
      fetchRequestHandler({
        endpoint: "/api/trpc",
        req: new Request(`http://lab.test/api/trpc/${path}`, init),
        router: testRouter,
        createContext: () => ctxFor(t.db, s.users.viewer),
      });
    const body = JSON.stringify({ workspaceId: s.workspaceId, raw: { symbols: [], window: 1 } });
    const res = await call("bodyParse", { method: "POST", body, headers: { "content-type": "application/json" } });
    expect(res.status).toBe(400);
    const json = (await res.json()) as {
      error: { message: string; data: { code: string; httpStatus: number; zodError: { fieldErrors: object } } };
    };
    expect(json.error.data.code).toBe("BAD_REQUEST");
    expect(json.error.data.httpStatus).toBe(400);
    expect(json.error.message).toBe("symbols: pick at least one symbol");
    expect(json.error.data.zodError.fieldErrors).toEqual({ symbols: ["pick at least one symbol"] });

    // the same schema as the input validator answers the same way
    const q = encodeURIComponent(JSON.stringify({ symbols: [], window: 1 }));
    const viaInput = await call(`validated?input=${q}`, { method: "GET" });
    expect(viaInput.status).toBe(400);
    const j2 = (await viaInput.json()) as { error: { message: string } };
    expect(j2.error.message).toBe(json.error.message);

    // a plain error is still a 500 that hides its cause
    const broken = await call("broken", { method: "GET" });
    expect(broken.status).toBe(500);
    const j3 = (await broken.json()) as { error: { message: string } };
    expect(j3.error.message).not.toContain("secret");
    vi.restoreAllMocks();
  });

  it("role and workspace checks still come first (a foreign workspace is refused before the body runs)", async () => {
    const caller = createCaller(ctxFor(t.db, s.outsider));
    const err = await caught(caller.bodyParse({ workspaceId: s.workspaceId, raw: { symbols: [] } }));
    expect(["FORBIDDEN", "NOT_FOUND"]).toContain(err.code);
  });
});
