/** A unified line diff (LCS) between two versions of a strategy's source, for the trace and the stored version. */

/**
 * `--- a` / `+++ b` unified diff with `context` lines around each change. Empty string when equal.
 * O(n·m) memory; strategy sources are a few hundred lines.
 */
export function unifiedDiff(a: string, b: string, context = 3, names: [string, string] = ["before", "after"]): string {
  if (a === b) return "";
  const x = a.split("\n");
  const y = b.split("\n");
  const n = x.length;
  const m = y.length;
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  // Edit script: [op, line, index in a, index in b]
  const ops: Array<{ op: " " | "-" | "+"; text: string; ai: number; bi: number }> = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && x[i] === y[j]) ops.push({ op: " ", text: x[i], ai: i++, bi: j++ });
    else if (j < m && (i >= n || lcs[i][j + 1] >= lcs[i + 1][j])) ops.push({ op: "+", text: y[j], ai: i, bi: j++ });
    else ops.push({ op: "-", text: x[i], ai: i++, bi: j });
  }
  const out = [`--- ${names[0]}`, `+++ ${names[1]}`];
  let k = 0;
  while (k < ops.length) {
    if (ops[k].op === " ") {
      k++;
      continue;
    }
    let start = Math.max(0, k - context);
    let end = k;
    // extend the hunk while changes are within 2·context lines of each other
    while (end < ops.length) {
      if (ops[end].op !== " ") {
        end++;
        continue;
      }
      let run = 0;
      while (end + run < ops.length && ops[end + run].op === " ") run++;
      if (end + run >= ops.length || run > 2 * context) {
        end = Math.min(ops.length, end + context);
        break;
      }
      end += run;
    }
    const hunk = ops.slice(start, end);
    const aLen = hunk.filter((o) => o.op !== "+").length;
    const bLen = hunk.filter((o) => o.op !== "-").length;
    out.push(`@@ -${hunk[0].ai + 1},${aLen} +${hunk[0].bi + 1},${bLen} @@`);
    for (const o of hunk) out.push(`${o.op}${o.text}`);
    k = end;
    start = end;
  }
  return out.join("\n") + "\n";
}
