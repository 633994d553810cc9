"use client";
/** Monaco only runs in the browser: these wrappers load the editors without server rendering. */
import dynamic from "next/dynamic";

const placeholder = (height: string) =>
  function Loading() {
    return (
      <div
        className="flex items-center justify-center rounded-md border border-slate-300 bg-slate-50 text-sm text-slate-500"
        style={{ height }}
      >
        Loading editor…
      </div>
    );
  };

export const LazyCodeEditor = dynamic(() => import("./code-editor"), { ssr: false, loading: placeholder("480px") });
export const LazyDiffView = dynamic(() => import("./diff-view"), { ssr: false, loading: placeholder("420px") });
