/**
 * Contract of a benchmark case: `tests/bench/cases/<name>.ts` default-exports one of these.
 * `run()` returns flat numeric metrics (snake_case keys with units: `_ms`, `_per_s`, `_mb`); the
 * runner calls it several times in a fresh child process and reports per-key medians.
 * A case may print progress (it goes to the runner's stderr), must not rely on stdout, and should
 * honour {@link QUICK} (fewer iterations / smaller setup) when it takes more than a few seconds.
 */
export interface BenchCase {
  name: string;
  description: string;
  run(): Promise<Record<string, number>>;
}

/** True under `npm run bench -- --quick` (the runner sets LAB_BENCH_QUICK=1 for the case processes). */
export const QUICK = process.env.LAB_BENCH_QUICK === "1";

/** True when the runner found no reachable Postgres (it sets LAB_TEST_SKIP_POSTGRES=1): skip Postgres parts. */
export const SKIP_POSTGRES = process.env.LAB_TEST_SKIP_POSTGRES === "1";

/** Prefix of the one stdout line a case process writes its result on (see ./run-case.ts). */
export const RESULT_MARKER = "@@bench-result ";
