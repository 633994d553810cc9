/**
 * Starting on a Node that package.json's engines do not allow fails at once with a message that
 * says which Node is needed and how to get it — not a "healthy" server whose every strategy then
 * fails in the sandbox. Checked on the real entry point with the machine's other Node when there
 * is one (Debian's Node 20 at /usr/bin/node).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { allowedMajors, nodeVersionProblem } from "@/server/http/node-version.mjs";

const range = JSON.parse(readFileSync("package.json", "utf8")).engines.node as string;

describe("Node version check", () => {
  it("reads the engines range and accepts only its majors", () => {
    expect(allowedMajors(">=24.0.0 <25")).toEqual({ min: 24, maxExclusive: 25 });
    expect(nodeVersionProblem("v24.21.0", range)).toBeNull();
    expect(nodeVersionProblem(process.version, range), "the test runner's own Node is allowed").toBeNull();
    const problem = nodeVersionProblem("v20.20.2", range) ?? "";
    expect(problem).toMatch(
      /^Strategy Lab needs Node 24 \(package\.json engines ">=24\.0\.0 <25"\), but this is Node 20\.20\.2\./,
    );
    expect(problem).toMatch(/npm start/);
    expect(nodeVersionProblem("v25.0.0", range)).not.toBeNull();
  });

  const other = "/usr/bin/node";
  const otherMajor = existsSync(other)
    ? Number(/^v(\d+)/.exec(spawnSync(other, ["--version"], { encoding: "utf8" }).stdout)?.[1])
    : 24;
  it.skipIf(otherMajor === 24)(
    "server/http/start.mjs on another Node exits 1 with the message, before building or serving",
    () => {
      const res = spawnSync(other, ["server/http/start.mjs"], {
        encoding: "utf8",
        env: { ...process.env, PORT: "0", LAB_NEXT_DIST_DIR: ".next-never-built" },
        timeout: 20_000,
      });
      expect(res.status).toBe(1);
      expect(res.stderr).toMatch(/Strategy Lab needs Node 24/);
      expect(res.stdout, "no build was started").not.toMatch(/next build/);
    },
  );
});
