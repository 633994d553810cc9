import "server-only";
import { configureLogging, installConsoleBridge } from "./log";

/** Structured logging for this process: pick the output format and route console.* through it. */
export async function startLogging(): Promise<void> {
  await configureLogging();
  installConsoleBridge();
}
