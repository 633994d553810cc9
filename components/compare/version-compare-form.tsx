/** Two version pickers that open this page (also shown on the strategy page). */
export function VersionCompareForm({
  slug,
  strategyId,
  versions,
  a,
  b,
}: {
  slug: string;
  strategyId: string;
  versions: number[];
  a?: number;
  b?: number;
}) {
  return (
    <form
      method="get"
      action={`/w/${slug}/strategies/${strategyId}/compare`}
      className="flex flex-wrap items-end gap-3 text-sm"
      data-testid="version-compare-form"
    >
      {(["a", "b"] as const).map((k) => (
        <label key={k} className="flex min-w-40 flex-col gap-1">
          Version {k.toUpperCase()}
          <select
            name={k}
            defaultValue={k === "a" ? a : b}
            className="rounded-md border border-slate-300 bg-white px-2 py-1.5"
            data-testid={`version-compare-${k}`}
          >
            {versions.map((v) => (
              <option key={v} value={v}>
                v{v}
              </option>
            ))}
          </select>
        </label>
      ))}
      <button
        type="submit"
        className="rounded-md bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700"
        data-testid="version-compare-submit"
      >
        Compare versions
      </button>
    </form>
  );
}
