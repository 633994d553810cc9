"use client";
/** Side-by-side Monaco diff of two versions' code (read-only). */
import { DiffEditor } from "@monaco-editor/react";
import { setupMonaco } from "./monaco-setup";

setupMonaco();

export default function DiffView({
  original,
  modified,
  height = "420px",
}: {
  original: string;
  modified: string;
  height?: string;
}) {
  return (
    <div data-testid="diff-editor" className="overflow-hidden rounded-md border border-slate-300">
      <DiffEditor
        height={height}
        language="typescript"
        original={original}
        modified={modified}
        options={{ readOnly: true, renderSideBySide: true, minimap: { enabled: false }, automaticLayout: true }}
      />
    </div>
  );
}
