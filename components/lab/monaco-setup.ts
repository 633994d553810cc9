"use client";
/**
 * Monaco from node_modules (never a CDN): local worker entry files for Turbopack, the SDK's
 * type declarations for IntelliSense, and TypeScript options matching strategy modules.
 */
import { loader } from "@monaco-editor/react";
import * as monaco from "monaco-editor";
import { EDITOR_COMPILER_OPTIONS, SDK_DTS, SDK_DTS_PATH } from "@/lib/sdk/sdk-dts";

let done = false;

/** Idempotent; call before the first editor renders. */
export function setupMonaco(): typeof monaco {
  if (done) return monaco;
  done = true;
  self.MonacoEnvironment = {
    getWorker(_id: string, label: string) {
      return label === "typescript" || label === "javascript"
        ? new Worker(new URL("./ts.worker.ts", import.meta.url), { type: "module" })
        : new Worker(new URL("./editor.worker.ts", import.meta.url), { type: "module" });
    },
  };
  const ts = monaco.typescript;
  ts.typescriptDefaults.setCompilerOptions({
    ...EDITOR_COMPILER_OPTIONS,
    target: ts.ScriptTarget.ESNext,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.NodeJs,
  });
  ts.typescriptDefaults.addExtraLib(SDK_DTS, SDK_DTS_PATH);
  loader.config({ monaco });
  return monaco;
}
