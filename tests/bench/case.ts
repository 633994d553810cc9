/**
 * Contract of a benchmark case: `tests/bench/cases/<name>.ts` default-exports one of these.
 * `run()` returns flat numeric metrics (snake_case keys with units: `_ms`, `_per_s`, `_mb`); the
 * runner calls it several times in a fresh child process and reports per-key medians.
 */
export interface BenchCase {
  name: string;
  description: string;
  run(): Promise<Record<string, number>>;
}
