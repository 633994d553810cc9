/**
 * `npm ci` refuses a lockfile that lacks an entry for any optional dependency (platform
 * binaries). Some registries lack the platform packages of a release (see STACK.md), and
 * `npm install` then silently leaves them out — this catches that before CI does.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const lock = JSON.parse(readFileSync(new URL("../package-lock.json", import.meta.url), "utf8")) as {
  packages: Record<string, { optionalDependencies?: Record<string, string> }>;
};
const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

function resolves(from: string, dep: string): boolean {
  let base = from;
  for (;;) {
    if (lock.packages[`${base ? `${base}/` : ""}node_modules/${dep}`]) return true;
    if (!base) return false;
    const i = base.lastIndexOf("/node_modules/");
    base = i >= 0 ? base.slice(0, i) : "";
  }
}

describe("package-lock.json", () => {
  it("has an entry for every optional (platform) dependency", () => {
    const missing = Object.entries(lock.packages).flatMap(([path, entry]) =>
      Object.keys(entry.optionalDependencies ?? {})
        .filter((dep) => !resolves(path, dep))
        .map((dep) => `${path || "(root)"} → ${dep}`),
    );
    expect(missing).toEqual([]);
  });
  it("pins every direct dependency exactly", () => {
    const loose = Object.entries({ ...pkg.dependencies, ...pkg.devDependencies }).filter(
      ([, v]) => !/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(v),
    );
    expect(loose).toEqual([]);
  });
});
