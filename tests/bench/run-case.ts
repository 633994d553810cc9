/**
 * Child-process side of the bench runner: runs one case `reps` times and prints one JSON line
 * `{ runs, peak_rss_mb }` on stdout. Peak RSS is this process's own (`resourceUsage().maxRSS`).
 */
import { pathToFileURL } from "node:url";
import type { BenchCase } from "./case";

const [file, repsArg] = process.argv.slice(2);
const mod = (await import(pathToFileURL(file).href)) as { default: BenchCase };
const runs: Record<string, number>[] = [];
for (let r = 0; r < Number(repsArg || 3); r++) runs.push(await mod.default.run());
process.stdout.write(`${JSON.stringify({ name: mod.default.name, description: mod.default.description, runs, peak_rss_mb: process.resourceUsage().maxRSS / 1024 })}\n`);
