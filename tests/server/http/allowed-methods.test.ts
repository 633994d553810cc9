/**
 * A method a REST v1 path does not answer gets a JSON 405 naming the allowed ones (with `Allow`),
 * from the request proxy — Next alone answers an empty 405. Every documented method passes, as do
 * unknown paths (the JSON 404 route answers them), HEAD/OPTIONS and everything outside /api/v1.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { NextRequest, type NextResponse } from "next/server";
import proxy from "@/proxy";
import { ENDPOINTS } from "@/server/http/v1/openapi";
import { methodNotAllowed } from "@/server/http/v1/allowed-methods";

const ID = "00000000-0000-4000-8000-000000000000";
const concrete = (path: string) => path.replace(/\{[^}]+\}/g, ID);

describe("405 for a method a REST v1 path does not answer", () => {
  it("every method a v1 route file exports is documented, so the proxy never blocks a working route", () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (name === "route.ts") files.push(p);
      }
    };
    walk("app/api/v1");
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const path = file
        .replace(/^app/, "")
        .replace(/\/route\.ts$/, "")
        .replace(/\[([^\]]+)\]/g, "{$1}");
      const exported = [
        ...readFileSync(file, "utf8").matchAll(
          /export (?:const|async function|function) (GET|POST|PUT|PATCH|DELETE)\b/g,
        ),
      ].map((m) => m[1]);
      for (const method of exported)
        expect(methodNotAllowed(method, concrete(path)), `${method} ${path} (${file})`).toBeNull();
    }
  });

  it("every documented method on every documented path passes through", () => {
    for (const e of ENDPOINTS) expect(methodNotAllowed(e.method.toUpperCase(), concrete(e.path)), e.path).toBeNull();
  });

  it("DELETE on the runs list and POST on one run: JSON 405 naming the path and the allowed methods", async () => {
    const runsMethods = ENDPOINTS.filter((e) => e.path === "/api/v1/runs").map((e) => e.method.toUpperCase());
    const res = methodNotAllowed("DELETE", "/api/v1/runs")!;
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe(runsMethods.join(", "));
    const body = await res.json();
    expect(body.error.code).toBe("METHOD_NOT_ALLOWED");
    expect(body.error.message).toContain("DELETE is not allowed on /api/v1/runs");
    const one = methodNotAllowed("PUT", `/api/v1/runs/${ID}`)!;
    expect(one.status).toBe(405);
    expect((await one.json()).error.message).toContain("/api/v1/runs/{id}");
  });

  it("unknown paths, HEAD, OPTIONS and paths outside /api/v1 are left alone", () => {
    expect(methodNotAllowed("DELETE", "/api/v1/no-such-thing")).toBeNull();
    expect(methodNotAllowed("HEAD", "/api/v1/runs")).toBeNull();
    expect(methodNotAllowed("OPTIONS", "/api/v1/runs")).toBeNull();
    expect(methodNotAllowed("DELETE", "/api/health")).toBeNull();
  });

  it("the proxy answers it, with the API's security headers", async () => {
    const res = (await proxy(
      new NextRequest("http://localhost/api/v1/strategies", { method: "PATCH" }),
    )) as NextResponse;
    expect(res.status).toBe(405);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    expect((await res.json()).error.code).toBe("METHOD_NOT_ALLOWED");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    const ok = (await proxy(new NextRequest("http://localhost/api/v1/strategies"))) as NextResponse;
    expect(ok.status).not.toBe(405);
  });
});
