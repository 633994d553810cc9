/**
 * `npm run bench [-- --json] [--only <case>] [--reps N]`: runs every `tests/bench/cases/*.ts` in its own
 * child process (so each case's peak RSS is its own), `--reps` times (default 3), and reports the
 * median of each metric. `--json` prints ONE object: every case's metrics merged, plus `cores`,
 * `peak_rss_mb` (max over cases) and `<case>_peak_rss_mb` per case.
 * Adding a case = adding a file to cases/ that default-exports a BenchCase (see ./case.ts).
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { median } from "./random-walk";

const args = process.argv.slice(2);
const json = args.includes("--json");
const onlyAt = args.indexOf("--only");
const only = onlyAt >= 0 ? args[onlyAt + 1] : undefined;
const repsAt = args.indexOf("--reps");
const reps = repsAt >= 0 ? Number(args[repsAt + 1]) : 3;

const casesDir = fileURLToPath(new URL("./cases/", import.meta.url));
const childScript = fileURLToPath(new URL("./run-case.ts", import.meta.url));
const files = readdirSync(casesDir).filter((f) => f.endsWith(".ts")).sort()
  .filter((f) => !only || f.replace(/\.ts$/, "") === only);
if (files.length === 0) {
  process.stderr.write(`no bench case${only ? ` named "${only}"` : ""} in ${casesDir}\n`);
  process.exit(1);
}

const merged: Record<string, number> = { cores: availableParallelism() };
const rows: [string, string, number, number[]][] = [];
let peak = 0;
const failed: string[] = [];
for (const f of files) {
  const child = spawnSync(process.execPath, [...process.execArgv, childScript, casesDir + f, String(reps)], { encoding: "utf8", maxBuffer: 16 << 20 });
  if (child.status !== 0) {
    const tail = (child.stderr ?? "").trim().split("\n").slice(0, 12).join("\n");
    process.stderr.write(`bench case ${f} failed (exit ${child.status}), continuing:\n${tail}\n`);
    failed.push(f);
    continue;
  }
  const out = JSON.parse(child.stdout.trim().split("\n").pop() ?? "{}") as { name: string; runs: Record<string, number>[]; peak_rss_mb: number };
  for (const key of Object.keys(out.runs[0] ?? {})) {
    const values = out.runs.map((r) => r[key]);
    merged[key] = median(values);
    rows.push([out.name, key, merged[key], values]);
  }
  const rssKey = `${out.name.replace(/-/g, "_")}_peak_rss_mb`;
  merged[rssKey] = out.peak_rss_mb;
  rows.push([out.name, rssKey, out.peak_rss_mb, [out.peak_rss_mb]]);
  peak = Math.max(peak, out.peak_rss_mb);
}
merged.peak_rss_mb = peak;

if (json) {
  process.stdout.write(`${JSON.stringify(merged)}\n`);
} else {
  const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(4));
  process.stdout.write(`cores: ${merged.cores}   reps per case: ${reps} (median shown)\n`);
  const w = Math.max(...rows.map((r) => r[1].length));
  for (const [name, key, med, all] of rows) {
    process.stdout.write(`${name.padEnd(18)} ${key.padEnd(w)} ${fmt(med).padStart(12)}   [${all.map(fmt).join(", ")}]\n`);
  }
  process.stdout.write(`${"".padEnd(18)} ${"peak_rss_mb".padEnd(w)} ${fmt(peak).padStart(12)}\n`);
}
if (failed.length > 0) {
  process.stderr.write(`failed cases: ${failed.join(", ")}\n`);
  process.exitCode = 1;
}
