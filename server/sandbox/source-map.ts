/**
 * Minimal reader for the version-3 source maps the transpiler emits: decodes the VLQ
 * `mappings` field of a single-source map and maps generated positions back to the source.
 */

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const DIGIT = new Map([...BASE64].map((ch, i) => [ch, i]));

/** One mapping segment: generated column -> original line/column (all 0-based). */
interface Segment {
  generatedColumn: number;
  sourceLine: number;
  sourceColumn: number;
}

/** Decoded mappings, indexed by 0-based generated line; segments sorted by column. */
export type LineMappings = Segment[][];

function decodeVlq(text: string, start: number, out: number[]): number {
  let i = start;
  while (i < text.length && text[i] !== "," && text[i] !== ";") {
    let value = 0;
    let shift = 0;
    let digit: number;
    do {
      digit = DIGIT.get(text[i++]) ?? 0;
      value += (digit & 31) << shift;
      shift += 5;
    } while (digit & 32);
    out.push(value & 1 ? -(value >>> 1) : value >>> 1);
  }
  return i;
}

/** Decodes a `mappings` string (single source assumed, as produced for one strategy file). */
export function decodeMappings(mappings: string): LineMappings {
  const lines: LineMappings = [[]];
  let sourceLine = 0;
  let sourceColumn = 0;
  let generatedColumn = 0;
  let i = 0;
  while (i < mappings.length) {
    const ch = mappings[i];
    if (ch === ";") {
      lines.push([]);
      generatedColumn = 0;
      i++;
      continue;
    }
    if (ch === ",") {
      i++;
      continue;
    }
    const fields: number[] = [];
    i = decodeVlq(mappings, i, fields);
    generatedColumn += fields[0] ?? 0;
    if (fields.length >= 4) {
      sourceLine += fields[2];
      sourceColumn += fields[3];
      lines[lines.length - 1].push({ generatedColumn, sourceLine, sourceColumn });
    }
  }
  return lines;
}

/**
 * Maps a generated position (1-based line, 0-based column) to the original source
 * (1-based line and column). Falls back to the same line when nothing maps.
 */
export function originalPosition(map: LineMappings, line: number, column: number): { line: number; column: number } {
  const segments = map[line - 1] ?? [];
  let best: Segment | undefined;
  for (const s of segments) {
    if (s.generatedColumn <= column) best = s;
    else break;
  }
  if (!best) return { line, column: column + 1 };
  const delta = best.sourceLine === line - 1 ? column - best.generatedColumn : 0;
  return { line: best.sourceLine + 1, column: best.sourceColumn + delta + 1 };
}
