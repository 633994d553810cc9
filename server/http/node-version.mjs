/**
 * The Node version check run first by `npm start` / `npm run dev` (server/http/start.mjs) and
 * `npm run worker`: on another major than package.json's engines allow, isolated-vm's prebuilt
 * addon does not load and every strategy would fail, so refuse to start with a clear message.
 */
import { readFileSync } from "node:fs";

/** Major versions allowed by an engines range of the form `>=24.0.0 <25` (lower bound inclusive). */
export function allowedMajors(range) {
  const min = /[>]=?\s*(\d+)/.exec(range);
  const max = /<\s*(\d+)/.exec(range);
  return { min: min ? Number(min[1]) : 0, maxExclusive: max ? Number(max[1]) : Number.POSITIVE_INFINITY };
}

/** null when `version` (e.g. "v20.20.2") satisfies `range`, else the message to print. */
export function nodeVersionProblem(version, range) {
  const major = Number(/^v?(\d+)/.exec(version)?.[1] ?? 0);
  const { min, maxExclusive } = allowedMajors(range);
  if (major >= min && major < maxExclusive) return null;
  return [
    `Strategy Lab needs Node ${min} (package.json engines "${range}"), but this is Node ${version.replace(/^v/, "")}.`,
    "The strategy sandbox (isolated-vm) and the job queue do not work on other versions.",
    "Run it through npm (`npm start`, `npm run dev`, `npm run worker`), which uses the project's own Node from node_modules,",
    `or install Node ${min} and put it first on PATH (for example: npm install -g --prefix ~/.node${min} node@${min}; export PATH=~/.node${min}/bin:$PATH).`,
  ].join("\n");
}

/** Exit with the message when this process's Node does not match package.json's engines. */
export function requireSupportedNode(packageJsonPath = new URL("../../package.json", import.meta.url)) {
  const range = JSON.parse(readFileSync(packageJsonPath, "utf8")).engines?.node ?? "";
  const problem = nodeVersionProblem(process.version, range);
  if (problem) {
    console.error(problem);
    process.exit(1);
  }
}
