"use client";
/**
 * The strategy editor (Monaco, local). Shows validation problems as markers.
 *
 * The editor's content is driven from `value` by edits on its model, never by a full
 * `setValue`: a value that extends the current content is appended (streamed code only grows),
 * anything else replaces it as one undoable edit. Only the user's own typing reaches
 * `onChange`; programmatic updates are not echoed back, so a render that lags behind the
 * stream can never write an older text over newer deltas.
 *
 * The container carries `data-code-length` (the editor's real content length, updated on each
 * content change) and an `editorValue()` accessor, so tests can watch exactly what is shown.
 */
import Editor, { type OnMount } from "@monaco-editor/react";
import { useCallback, useEffect, useRef, useState } from "react";
import { useDarkMode } from "@/components/theme/use-dark-mode";
import type { CodeProblem } from "./types";
import { setupMonaco } from "./monaco-setup";

const monaco = setupMonaco();

type StandaloneEditor = Parameters<OnMount>[0];

export interface CodeEditorProps {
  value: string;
  onChange?: (value: string) => void;
  readOnly?: boolean;
  problems?: CodeProblem[];
  height?: string;
  /** Monaco theme; by default "vs" or "vs-dark" following the page's theme. */
  theme?: string;
}

/** Brings the editor's model to `next` with as small an edit as streaming allows. */
function syncModel(editor: StandaloneEditor, next: string, quiet: { current: boolean }): void {
  const model = editor.getModel();
  if (!model) return;
  const current = model.getValue();
  if (current === next) return;
  quiet.current = true;
  try {
    if (current.length > 0 && next.startsWith(current)) {
      const end = model.getFullModelRange().getEndPosition();
      const at = new monaco.Range(end.lineNumber, end.column, end.lineNumber, end.column);
      model.pushEditOperations([], [{ range: at, text: next.slice(current.length) }], () => null);
    } else {
      model.pushEditOperations([], [{ range: model.getFullModelRange(), text: next }], () => null);
    }
  } finally {
    quiet.current = false;
  }
}

export default function CodeEditor({
  value,
  onChange,
  readOnly = false,
  problems = [],
  height = "480px",
  theme,
}: CodeEditorProps) {
  const dark = useDarkMode();
  const editorRef = useRef<StandaloneEditor | null>(null);
  const containerRef = useRef<HTMLDivElement | null>(null);
  const quiet = useRef(false);
  const onChangeRef = useRef(onChange);
  const [ready, setReady] = useState(false);
  useEffect(() => {
    onChangeRef.current = onChange;
  }, [onChange]);

  const onMount: OnMount = useCallback((editor) => {
    editorRef.current = editor;
    const box = containerRef.current as (HTMLDivElement & { editorValue?: () => string }) | null;
    const mark = () => box?.setAttribute("data-code-length", String(editor.getModel()?.getValueLength() ?? 0));
    if (box) box.editorValue = () => editor.getValue();
    editor.onDidChangeModelContent(() => {
      mark();
      if (!quiet.current) onChangeRef.current?.(editor.getValue());
    });
    mark();
    setReady(true);
  }, []);

  useEffect(() => {
    if (ready && editorRef.current) syncModel(editorRef.current, value, quiet);
  }, [ready, value]);

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
  }, [problems, value, ready]);

  return (
    <div ref={containerRef} data-testid="code-editor" className="overflow-hidden rounded-md border border-slate-300">
      <Editor
        height={height}
        language="typescript"
        path="file:///strategy.ts"
        defaultValue={value}
        theme={theme ?? (dark ? "vs-dark" : "vs")}
        onMount={onMount}
        options={{
          readOnly,
          minimap: { enabled: false },
          fontSize: 13,
          scrollBeyondLastLine: false,
          tabSize: 2,
          automaticLayout: true,
        }}
      />
    </div>
  );
}
