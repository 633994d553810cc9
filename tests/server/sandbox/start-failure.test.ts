/**
 * A sandbox process that dies while starting (as on a Node whose ABI the isolated-vm build does
 * not match) gives a clear error that says where the details are and which Node is needed —
 * and carries none of the child's stack frames or file paths, which only the server log gets.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SandboxWorker } from "@/server/sandbox/worker-process";

describe("sandbox process that exits while starting", () => {
  afterEach(() => vi.restoreAllMocks());

  it("rejects with a message free of stack frames; the log keeps them", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "sandbox-start-"));
    const script = path.join(dir, "child.mjs");
    writeFileSync(
      script,
      `throw new Error("was compiled against a different Node.js version using NODE_MODULE_VERSION 115");\n`,
    );
    const logged: string[] = [];
    vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void logged.push(args.join(" ")));
    const worker = new SandboxWorker(script, "", () => undefined);
    const err = await worker.ready.then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(err?.message).toMatch(
      /^The sandbox process exited while starting; the server log has the details\. Strategy Lab needs Node 24/,
    );
    expect(err?.message, "no stack frames").not.toMatch(/\n\s*at |file:\/\/|\.mjs|NODE_MODULE_VERSION/);
    expect(logged.join("\n"), "the details go to the server log").toMatch(/NODE_MODULE_VERSION 115[\s\S]*at /);
  });
});
