"use client";
/** Side-by-side Monaco diff of a template version against the default (read-only, plain text). */
import { DiffEditor } from "@monaco-editor/react";
import { setupMonaco } from "@/components/lab/monaco-setup";

setupMonaco();

export default function TemplateDiff({
  original,
  modified,
  height = "360px",
}: {
  original: string;
  modified: string;
  height?: string;
}) {
  return (
    <div data-testid="prompt-diff" className="overflow-hidden rounded-md border border-slate-300">
      <DiffEditor
        height={height}
        language="plaintext"
        original={original}
        modified={modified}
        options={{
          readOnly: true,
          renderSideBySide: true,
          wordWrap: "on",
          diffWordWrap: "on",
          minimap: { enabled: false },
          automaticLayout: true,
        }}
      />
    </div>
  );
}
