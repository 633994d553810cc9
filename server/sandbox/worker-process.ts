import { fork, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { SandboxError } from "./errors";
import type { ChildMessage, JobMessage, ResultMessage } from "./protocol";

const STDERR_TAIL_CHARS = 16_384;
const START_TIMEOUT_MS = 15_000;

/**
 * Where the child entry lives. Under tsx/vitest it sits beside this file; inside a Next
 * build this module is bundled elsewhere, so fall back to the app's working directory.
 */
export function resolveChildScript(): string {
  const candidates: string[] = [];
  try {
    candidates.push(path.join(path.dirname(fileURLToPath(import.meta.url)), "child-host.mjs"));
  } catch {
    // import.meta.url is not a file URL in some bundles
  }
  candidates.push(path.resolve(process.cwd(), "server/sandbox/child-host.mjs"));
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`sandbox: child host script not found (looked in ${candidates.join(", ")})`);
  return found;
}

interface Pending {
  id: number;
  resolve: (msg: ResultMessage) => void;
  reject: (err: SandboxError) => void;
  timer: NodeJS.Timeout;
  timedOut: boolean;
}

/**
 * One supervised child process hosting an isolate. Runs one job at a time; a job that
 * overruns its wall-clock allowance gets the whole process killed. After an exit the
 * worker is dead and the pool replaces it.
 */
/** Keyed input data kept by each child between jobs, bytes (child-host.mjs DATA_CACHE_BYTES). */
export const CHILD_DATA_CACHE_BYTES = 192 * 1024 * 1024;

/** Keyed data a child holds, least recently used first, with their sizes and a running total. */
export class HeldData {
  private readonly sizes = new Map<string, number>();
  private total = 0;
  constructor(private readonly capBytes = CHILD_DATA_CACHE_BYTES) {}

  has(key: string): boolean {
    return this.sizes.has(key);
  }

  /** Marks `key` (of `bytes`) as just used, dropping the least recently used past the cap. */
  use(key: string, bytes: number): void {
    this.forget(key);
    if (bytes > this.capBytes) return;
    this.sizes.set(key, bytes);
    this.total += bytes;
    for (const [k, b] of this.sizes) {
      if (this.total <= this.capBytes) break;
      this.sizes.delete(k);
      this.total -= b;
    }
  }

  /** Uses `key` again at the size it was held with (false when not held). */
  touch(key: string): boolean {
    const bytes = this.sizes.get(key);
    if (bytes === undefined) return false;
    this.use(key, bytes);
    return true;
  }

  forget(key: string): void {
    const bytes = this.sizes.get(key);
    if (bytes === undefined) return;
    this.sizes.delete(key);
    this.total -= bytes;
  }
}

export class SandboxWorker {
  /**
   * Keys of the input data this child holds: the host's mirror of the child's cache (same byte
   * cap, same least-recently-used order). It only decides whether to send data; when it is wrong
   * the child answers `missing` and the data is sent.
   */
  readonly held = new HeldData();
  readonly ready: Promise<void>;
  pid: number | undefined;
  dead = false;
  /** Owned by the pool: true while a job holds this worker. */
  busy = false;
  private readonly child: ChildProcess;
  private pending: Pending | null = null;
  private stderrTail = "";
  private nextId = 1;

  constructor(
    scriptPath: string,
    runtimeJs: string,
    private readonly onExit: (worker: SandboxWorker) => void,
  ) {
    this.child = fork(scriptPath, [], {
      serialization: "advanced",
      stdio: ["ignore", "ignore", "pipe", "ipc"],
      execArgv: ["--no-node-snapshot"],
      // Nothing from the app environment (secrets included) reaches the sandbox process.
      env: { NODE_ENV: "production" },
    });
    this.pid = this.child.pid;
    this.child.stderr?.setEncoding("utf8");
    this.child.stderr?.on("data", (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-STDERR_TAIL_CHARS);
    });
    let started = false;
    this.ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new SandboxError("CRASHED", "The sandbox process did not start in time."));
        this.kill();
      }, START_TIMEOUT_MS);
      this.child.once("message", (msg: ChildMessage) => {
        clearTimeout(timer);
        if (msg.type === "ready") {
          started = true;
          resolve();
        } else reject(new SandboxError("CRASHED", "The sandbox process sent an unexpected greeting."));
      });
      this.child.once("exit", (code, signal) => {
        clearTimeout(timer);
        if (started) return;
        // The child's stderr (stack frames, file paths) is for the server log only, never a client.
        console.error(
          `[sandbox] process ${this.pid ?? "?"} exited while starting (code ${code ?? "none"}, signal ${signal ?? "none"}):\n${this.stderrTail.slice(-4000)}`,
        );
        reject(
          new SandboxError(
            "CRASHED",
            `The sandbox process exited while starting; the server log has the details. Strategy Lab needs Node 24 (this server runs ${process.version}).`,
          ),
        );
      });
    });
    this.ready.catch(() => undefined);
    this.child.on("message", (msg: ChildMessage) => this.onMessage(msg));
    this.child.on("exit", (code, signal) => this.onChildExit(code, signal));
    this.child.on("error", () => this.kill());
    this.child.send({ type: "init", runtimeJs });
    this.idle();
  }

  /** Sends a job; resolves with the child's result or rejects with TIMEOUT / CRASHED / MEMORY_LIMIT. */
  run(job: Omit<JobMessage, "type" | "id">, wallMs: number): Promise<ResultMessage> {
    if (this.dead) return Promise.reject(new SandboxError("CRASHED", "The sandbox process is not running."));
    const id = this.nextId++;
    this.active();
    return new Promise<ResultMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this.pending) this.pending.timedOut = true;
        this.kill();
      }, wallMs);
      this.pending = { id, resolve, reject, timer, timedOut: false };
      const message: JobMessage = { type: "job", id, ...job };
      this.child.send(message, (err) => {
        if (err) this.kill();
      });
    });
  }

  /** Kills the child at once (SIGKILL); a pending job fails. */
  kill(): void {
    if (!this.dead) this.child.kill("SIGKILL");
  }

  private settle(): Pending | null {
    const p = this.pending;
    this.pending = null;
    if (p) clearTimeout(p.timer);
    if (!this.dead) this.idle();
    return p;
  }

  private onMessage(msg: ChildMessage): void {
    if (msg.type !== "result" || !this.pending || msg.id !== this.pending.id) return;
    this.settle()?.resolve(msg);
  }

  private onChildExit(code: number | null, signal: NodeJS.Signals | null): void {
    this.dead = true;
    const p = this.settle();
    if (p) {
      if (p.timedOut) p.reject(new SandboxError("TIMEOUT", "The strategy ran past its time limit and was stopped."));
      else if (/out of memory|heap limit|invalid size|allocation failed|memory limit/i.test(this.stderrTail))
        p.reject(
          new SandboxError("MEMORY_LIMIT", "The strategy used more memory than allowed; the sandbox was restarted."),
        );
      else
        p.reject(
          new SandboxError(
            "CRASHED",
            `The sandbox process stopped unexpectedly (${signal ?? `exit code ${String(code)}`}); it was restarted.`,
          ),
        );
    }
    this.onExit(this);
  }

  // An idle child must not keep the app's event loop alive; a busy one must.
  private idle(): void {
    this.child.unref();
    (this.child.stderr as { unref?: () => void } | null)?.unref?.();
    (this.child.channel as { unref?: () => void } | undefined)?.unref?.();
  }

  private active(): void {
    this.child.ref();
    (this.child.stderr as { ref?: () => void } | null)?.ref?.();
    (this.child.channel as { ref?: () => void } | undefined)?.ref?.();
  }
}
