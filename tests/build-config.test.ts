/**
 * A build into another LAB_NEXT_DIST_DIR must not rewrite the tracked tsconfig.json (Next adds
 * `<distDir>/types/**` to the tsconfig it builds with): such builds get their own git-ignored
 * tsconfig that extends the project's. (Checked end to end by building into `.next-<tag>` and
 * seeing `git diff tsconfig.json` stay empty; this test pins the configuration that does it.)
 */
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";

describe("next.config.ts build directories", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it("the default .next build uses tsconfig.json itself", async () => {
    vi.stubEnv("LAB_NEXT_DIST_DIR", "");
    const { default: config } = await import("@/next.config");
    expect(config.distDir).toBe(".next");
    expect(config.typescript?.tsconfigPath).toBeUndefined();
  });

  it("another build dir gets a git-ignored tsconfig extending the project's", async () => {
    vi.stubEnv("LAB_NEXT_DIST_DIR", ".next-config-test");
    const { default: config } = await import("@/next.config");
    const own = config.typescript?.tsconfigPath ?? "";
    try {
      expect(own).toBe("tsconfig.build-next-config-test.json");
      expect(JSON.parse(readFileSync(own, "utf8"))).toEqual({
        extends: "./tsconfig.json",
        include: ["next-env.d.ts", "**/*.ts", "**/*.tsx"],
      });
      expect(
        execFileSync("git", ["check-ignore", own], { encoding: "utf8" }).trim(),
        "never shows up in git status",
      ).toBe(own);
    } finally {
      rmSync(own, { force: true });
    }
  });
});
