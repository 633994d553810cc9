/** README.md stays true to the code: the role matrix and every environment variable. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ENV_KEYS } from "@/lib/env";
import { permissionMatrixMarkdown } from "@/lib/roles";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");

describe("README.md", () => {
  it("prints the role matrix exactly as lib/roles.ts defines it", () => {
    const block = readme.split("<!-- role-matrix:start -->")[1]?.split("<!-- role-matrix:end -->")[0]?.trim();
    expect(block).toBe(permissionMatrixMarkdown());
  });
  it("documents every environment variable", () => {
    const missing = ENV_KEYS.filter((k) => k !== "NODE_ENV" && !readme.includes(`\`${k}\``));
    expect(missing).toEqual([]);
  });
  it("names the test command", () => {
    expect(readme).toContain("npm test");
  });
});
