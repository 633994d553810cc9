import { existsSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";

/** Global name the bundle assigns inside the isolate; the harness takes it and deletes it. */
const GLOBAL_NAME = "__labRuntime";
const cache = new Map<string, Promise<string>>();

/** Default location of the SDK runtime: `lib/sdk/runtime.ts` under the app's working directory. */
export function defaultRuntimeEntry(): string {
  return path.resolve(process.cwd(), "lib/sdk/runtime.ts");
}

async function bundle(entry: string): Promise<string> {
  if (!existsSync(entry)) throw new Error(`sandbox: SDK runtime entry not found at ${entry}`);
  const importPath = JSON.stringify(entry.replaceAll("\\", "/"));
  const out = await build({
    stdin: {
      contents: `import * as sdk from ${importPath};\nexport { sdk };\nexport const ta = sdk.ta;\n`,
      resolveDir: path.dirname(entry),
      loader: "ts",
      sourcefile: "sandbox-runtime-entry.ts",
    },
    bundle: true,
    format: "iife",
    globalName: GLOBAL_NAME,
    platform: "neutral",
    target: "es2022",
    write: false,
    logLevel: "silent",
    absWorkingDir: path.dirname(entry),
  });
  const file = out.outputFiles[0];
  if (!file) throw new Error("sandbox: bundling the SDK runtime produced no output");
  return file.text;
}

/**
 * The SDK runtime (what `@strategy-lab/sdk` resolves to inside the isolate) bundled as one
 * classic script that assigns `globalThis.__labRuntime = { sdk, ta }`. Built once per
 * process and entry path; a failed build is not cached, so a fixed file is picked up.
 */
export function runtimeBundle(entry: string = defaultRuntimeEntry()): Promise<string> {
  let pending = cache.get(entry);
  if (!pending) {
    pending = bundle(entry);
    pending.catch(() => cache.delete(entry));
    cache.set(entry, pending);
  }
  return pending;
}
