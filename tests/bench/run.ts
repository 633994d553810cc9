/**
 * `npm run bench [-- --json] [--only <case>[,<case>…]] [--reps N] [--budget S] [--quick] [--timeout S]`
 *
 * Runs every `tests/bench/cases/*.ts` in its own child process (so each case's peak RSS is its own),
 * `--reps` times inside that process (default 3; a repeat starts only while the case has used less
 * than `--budget` seconds, default 20, so slow cases run once), kills a case after `--timeout`
 * seconds (default 300), and reports the median of each metric with the
 * machine's core count and load average. Without `--json` it prints one table; with `--json`
 * stdout carries exactly ONE JSON object (every case's medians merged, plus `cores`, `load_avg_1m`,
 * `peak_rss_mb` = max over the engine cases, `peak_rss_mb_all_cases`, `<case>_peak_rss_mb`, `failed`
 * and `notes`); progress and the
 * cases' own output go to stderr. A failing or timed-out case is reported and the others still
 * run; the exit code is 1 if any failed. Postgres is probed once: when it is not reachable, case
 * processes get LAB_TEST_SKIP_POSTGRES=1 and a note says so. `--quick` sets LAB_BENCH_QUICK=1
 * (cases may shrink their work) and defaults to 1 rep.
 * Adding a case = adding a file to cases/ that default-exports a BenchCase (see ./case.ts).
 */
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { connect } from "node:net";
import { availableParallelism, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { RESULT_MARKER } from "./case";
import { median } from "./random-walk";

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const json = args.includes("--json");
const quick = args.includes("--quick");
const only = flag("--only")
  ?.split(",")
  .map((s) => s.trim());
const reps = Number(flag("--reps") ?? (quick ? 1 : 3));
const timeoutS = Number(flag("--timeout") ?? (quick ? 120 : 300));
const budgetS = Number(flag("--budget") ?? 20);
const log = (line: string) => process.stderr.write(`${line}\n`);

const casesDir = fileURLToPath(new URL("./cases/", import.meta.url));
const childScript = fileURLToPath(new URL("./run-case.ts", import.meta.url));
const files = readdirSync(casesDir)
  .filter((f) => f.endsWith(".ts"))
  .sort()
  .filter((f) => !only || only.includes(f.replace(/\.ts$/, "")));
if (files.length === 0 || !(reps >= 1)) {
  log(
    files.length === 0
      ? `no bench case${only ? ` named ${only.join(", ")}` : ""} in ${casesDir}`
      : `bad --reps ${reps}`,
  );
  process.exit(1);
}

/** Whether a TCP connection to the Postgres of LAB_TEST_PG_URL (default 127.0.0.1:5432) opens within 1.5 s. */
function postgresReachable(): Promise<boolean> {
  let host = "127.0.0.1",
    port = 5432;
  try {
    const u = new URL(process.env.LAB_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres");
    host = u.hostname || host;
    port = Number(u.port || 5432);
  } catch {
    /* default address */
  }
  return new Promise((resolve) => {
    const s = connect({ host, port });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(1500, () => done(false));
    s.once("connect", () => done(true));
    s.once("error", () => done(false));
  });
}

interface CaseOutput {
  name: string;
  description: string;
  runs: Record<string, number>[];
  peak_rss_mb: number;
}

/** Runs one case file in a child process; resolves with its result or an error text. */
function runCase(file: string, env: NodeJS.ProcessEnv): Promise<{ out?: CaseOutput; error?: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...process.execArgv, childScript, casesDir + file, String(reps)], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "",
      stderrTail = "",
      timedOut = false;
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      process.stderr.write(d.replace(/^(?=.)/gm, `  [${file}] `));
      stderrTail = (stderrTail + d).slice(-4000);
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutS * 1000);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const lines = stdout.split("\n");
      const resultLine = lines.filter((l) => l.startsWith(RESULT_MARKER)).pop();
      for (const l of lines) if (l.trim() && !l.startsWith(RESULT_MARKER)) log(`  [${file}] ${l}`);
      if (timedOut) return resolve({ error: `timed out after ${timeoutS} s` });
      if (code !== 0 || !resultLine) {
        const why = code !== 0 ? `exit ${code ?? signal}` : "no result line";
        return resolve({ error: `${why}: ${stderrTail.trim().split("\n").slice(-8).join(" | ")}` });
      }
      try {
        resolve({ out: JSON.parse(resultLine.slice(RESULT_MARKER.length)) as CaseOutput });
      } catch (e) {
        resolve({ error: `unreadable result: ${String(e)}` });
      }
    });
  });
}

const started = performance.now();
const load0 = loadavg()[0];
const notes: string[] = [];
const env: NodeJS.ProcessEnv = { ...process.env };
if (quick) env.LAB_BENCH_QUICK = "1";
if (env.LAB_TEST_SKIP_POSTGRES !== "1" && !(await postgresReachable())) {
  env.LAB_TEST_SKIP_POSTGRES = "1";
  notes.push("Postgres not reachable: Postgres parts of cases skipped (LAB_TEST_SKIP_POSTGRES=1)");
}
for (const n of notes) log(`note: ${n}`);

const merged: Record<string, number | string | string[]> = { cores: availableParallelism() };
const rows: { name: string; key: string; med: number; all: number[] }[] = [];
const rss: { name: string; mb: number }[] = [];
const failed: { file: string; error: string }[] = [];
for (const [i, f] of files.entries()) {
  const t0 = performance.now();
  log(`[${i + 1}/${files.length}] ${f} (load ${loadavg()[0].toFixed(2)}) …`);
  const { out, error } = await runCase(f, env);
  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  if (!out) {
    log(`[${i + 1}/${files.length}] ${f} FAILED after ${secs} s: ${error}`);
    failed.push({ file: f, error: error ?? "unknown" });
    continue;
  }
  log(`[${i + 1}/${files.length}] ${f} done in ${secs} s`);
  const keys = [...new Set(out.runs.flatMap((r) => Object.keys(r)))];
  for (const key of keys) {
    const values = out.runs.map((r) => r[key]).filter((v): v is number => typeof v === "number" && Number.isFinite(v));
    if (values.length === 0) continue;
    merged[key] = median(values);
    rows.push({ name: out.name, key, med: median(values), all: values });
  }
  merged[`${out.name.replace(/-/g, "_")}_peak_rss_mb`] = out.peak_rss_mb;
  rss.push({ name: out.name, mb: out.peak_rss_mb });
}
// `peak_rss_mb` is the engine's figure (the backtest, sweep and portfolio cases, whose floor is
// 1 GB). Cases that open an embedded PGlite database carry its own footprint (about 1.2 GB peak
// RSS while it initialises and migrates), so the maximum over every case is reported separately.
const ENGINE_CASES = new Set(["single-backtest", "crossover-sweep", "portfolio-500"]);
const engineRss = rss.filter((r) => ENGINE_CASES.has(r.name));
const peakAll = Math.max(0, ...rss.map((r) => r.mb));
const peak = engineRss.length > 0 ? Math.max(...engineRss.map((r) => r.mb)) : peakAll;
merged.peak_rss_mb = peak;
merged.peak_rss_mb_all_cases = peakAll;
merged.load_avg_1m = Number(load0.toFixed(2));
merged.bench_wall_s = Number(((performance.now() - started) / 1000).toFixed(1));
merged.failed = failed.map((x) => x.file.replace(/\.ts$/, ""));
merged.notes = notes;

if (json) {
  process.stdout.write(`${JSON.stringify(merged)}\n`);
} else {
  const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(4));
  const w = Math.max(12, ...rows.map((r) => r.key.length));
  const out: string[] = [];
  out.push(
    `cores ${merged.cores}   load average ${load0.toFixed(2)} at start, ${loadavg()[0].toFixed(2)} at end   up to ${reps} rep(s) per case (${budgetS} s budget), median shown${quick ? "   (--quick)" : ""}`,
  );
  out.push(`${"case".padEnd(20)} ${"metric".padEnd(w)} ${"median".padStart(12)}   runs`);
  let last = "";
  for (const r of rows) {
    out.push(
      `${(r.name === last ? "" : r.name).padEnd(20)} ${r.key.padEnd(w)} ${fmt(r.med).padStart(12)}   [${r.all.map(fmt).join(", ")}]`,
    );
    last = r.name;
  }
  out.push(`${"peak RSS (MB)".padEnd(20)} ${rss.map((r) => `${r.name} ${r.mb.toFixed(0)}`).join(", ")}`);
  out.push(
    `${"".padEnd(20)} engine cases max ${peak.toFixed(0)}; all cases max ${peakAll.toFixed(0)} (PGlite alone peaks near 1.2 GB while it initialises)`,
  );
  for (const f of failed) out.push(`FAILED ${f.file}: ${f.error}`);
  for (const n of notes) out.push(`note: ${n}`);
  out.push(`total ${merged.bench_wall_s} s`);
  process.stdout.write(`${out.join("\n")}\n`);
}
if (failed.length > 0) {
  log(`failed cases: ${failed.map((x) => x.file).join(", ")}`);
  process.exitCode = 1;
}
