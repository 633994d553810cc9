/**
 * Child-process side of the bench runner: runs one case up to `reps` times — after the first run,
 * another only while the case has used less than `budgetS` seconds in total, so a case whose one
 * run takes minutes is not repeated — and writes one result line
 * `@@bench-result {name, description, runs, peak_rss_mb}` to stdout (anything else the case prints
 * is passed through to the runner's stderr). Peak RSS is this process's own (`resourceUsage().maxRSS`).
 */
import { pathToFileURL } from "node:url";
import { RESULT_MARKER, type BenchCase } from "./case";

const [file, repsArg, budgetArg] = process.argv.slice(2);
{
  const mod = (await import(pathToFileURL(file).href)) as { default: BenchCase };
  const runs: Record<string, number>[] = [];
  const reps = Number(repsArg || 3),
    budgetMs = Number(budgetArg || 20) * 1000;
  const t0 = performance.now();
  for (let r = 0; r < reps && (r === 0 || performance.now() - t0 < budgetMs); r++) runs.push(await mod.default.run());
  const out = {
    name: mod.default.name,
    description: mod.default.description,
    runs,
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(`\n${RESULT_MARKER}${JSON.stringify(out)}\n`);
  // Cases may leave handles open (pools, database clients); the result is out, so end here.
  process.exit(0);
}
