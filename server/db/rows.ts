/** Rows of a raw `db.execute(sql…)` result, whichever driver ran it (pg and PGlite return `{ rows }`, others an array). */
export type Row = Record<string, unknown>;

export const rowsOf = (result: unknown): Row[] =>
  (Array.isArray(result) ? result : ((result as { rows?: Row[] }).rows ?? [])) as Row[];
