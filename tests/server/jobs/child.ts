/** Spawning real worker processes (tests/server/jobs/worker-child.ts) against a test database. */
import { spawn, type ChildProcess } from "node:child_process";
export interface Child {
  proc: ChildProcess;
  lines: string[];
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
}

export function startChild(url: string, mode: "slow" | "real" | "local", extraEnv: Record<string, string> = {}): Child {
  const proc = spawn(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", "tests/server/jobs/worker-child.ts"],
    {
      env: {
        ...process.env,
        DATABASE_URL: url,
        LAB_TEST_WORKER_MODE: mode,
        LAB_QUEUE_MONITOR_SECONDS: "1",
        LAB_JOB_HEARTBEAT_SECONDS: "10",
        LAB_IN_PROCESS_WORKER: "false",
        ...extraEnv,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const lines: string[] = [];
  let buf = "";
  proc.stdout?.on("data", (d: Buffer) => {
    buf += d.toString();
    const parts = buf.split("\n");
    buf = parts.pop() ?? "";
    lines.push(...parts);
  });
  proc.stderr?.on("data", (d: Buffer) => process.stderr.write(`[child ${proc.pid}] ${d}`));
  return {
    proc,
    lines,
    async waitFor(pattern, timeoutMs = 30_000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        for (const l of lines) {
          const m = l.match(pattern);
          if (m) return m;
        }
        if (Date.now() > end)
          throw new Error(`child ${proc.pid} never printed ${pattern}; got: ${lines.slice(-5).join(" | ")}`);
        if (proc.exitCode !== null) throw new Error(`child ${proc.pid} exited with ${proc.exitCode}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}
