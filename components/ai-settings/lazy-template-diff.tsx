"use client";
/** Monaco runs in the browser only: the template diff loads without server rendering. */
import dynamic from "next/dynamic";

export const LazyTemplateDiff = dynamic(() => import("./template-diff"), {
  ssr: false,
  loading: () => (
    <div className="flex h-[360px] items-center justify-center rounded-md border border-slate-300 bg-slate-50 text-sm text-slate-500">
      Loading diff…
    </div>
  ),
});
