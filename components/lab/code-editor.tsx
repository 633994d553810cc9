"use client";
/**
 * The strategy editor (Monaco, local). Shows validation problems as markers. The container
 * carries `data-code-length` so tests can watch the streamed content grow.
 */
import Editor, { type OnMount } from "@monaco-editor/react";
import { useEffect, useRef } from "react";
import type { CodeProblem } from "./types";
import { setupMonaco } from "./monaco-setup";

const monaco = setupMonaco();

export interface CodeEditorProps {
  value: string;
  onChange?: (value: string) => void;
  readOnly?: boolean;
  problems?: CodeProblem[];
  height?: string;
}

export default function CodeEditor({ value, onChange, readOnly = false, problems = [], height = "480px" }: CodeEditorProps) {
  const editorRef = useRef<Parameters<OnMount>[0] | null>(null);

  const onMount: OnMount = (editor) => {
    editorRef.current = editor;
  };

  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (!model) return;
    monaco.editor.setModelMarkers(
      model,
      "validation",
      problems.map((p) => {
        const line = Math.max(1, Math.min(p.line || 1, model.getLineCount()));
        return {
          severity: monaco.MarkerSeverity.Error,
          message: p.message,
          startLineNumber: line,
          startColumn: Math.max(1, p.column || 1),
          endLineNumber: line,
          endColumn: model.getLineMaxColumn(line),
        };
      }),
    );
  }, [problems, value]);

  return (
    <div data-testid="code-editor" data-code-length={value.length} className="overflow-hidden rounded-md border border-slate-300">
      <Editor
        height={height}
        language="typescript"
        path="file:///strategy.ts"
        value={value}
        onChange={(v) => onChange?.(v ?? "")}
        onMount={onMount}
        options={{ readOnly, minimap: { enabled: false }, fontSize: 13, scrollBeyondLastLine: false, tabSize: 2, automaticLayout: true }}
      />
    </div>
  );
}
