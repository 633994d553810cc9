/**
 * Packing columns into one byte block and back, for the columnar bar store.
 * Layout: `k` columns of `count` Float64 values each, back to back, in the platform's byte
 * order (little-endian on every platform we run on; checked once at load).
 */
if (new Uint8Array(new Float64Array([1]).buffer)[7] !== 0x3f) {
  throw new Error("packed market data assumes a little-endian platform");
}

/** Pack equal-length column slices `[from, to)` into one byte block. */
export function packColumns(columns: Float64Array[], from = 0, to = columns[0]?.length ?? 0): Uint8Array {
  const count = to - from;
  const out = new Float64Array(columns.length * count);
  columns.forEach((col, k) => out.set(col.subarray(from, to), k * count));
  return new Uint8Array(out.buffer);
}

/** Float64 view of a block (no copy when it starts on an 8-byte boundary, else one copy). */
function float64View(b: Uint8Array): Float64Array {
  if (b.byteOffset % 8 === 0) return new Float64Array(b.buffer, b.byteOffset, b.byteLength / 8);
  const aligned = new Float64Array(b.byteLength / 8);
  new Uint8Array(aligned.buffer).set(b);
  return aligned;
}

/** Rows per block of `k` columns; throws RangeError when a block is not whole Float64 columns. */
export function blockRowCounts(blocks: Uint8Array[], k: number): number[] {
  return blocks.map((b) => {
    if (b.byteLength % (8 * k) !== 0)
      throw new RangeError(`packed block of ${b.byteLength} bytes is not ${k} Float64 columns`);
    return b.byteLength / (8 * k);
  });
}

/**
 * Column `c` of the blocks (in order), rows `[from, to)` of their concatenation, copied into one
 * new Float64Array (one copy per value; the blocks are not kept).
 */
export function unpackColumn(blocks: Uint8Array[], k: number, c: number, from = 0, to?: number): Float64Array {
  const counts = blockRowCounts(blocks, k);
  const total = counts.reduce((a, b) => a + b, 0);
  const end = Math.min(to ?? total, total);
  const out = new Float64Array(Math.max(0, end - from));
  let base = 0;
  blocks.forEach((b, j) => {
    const n = counts[j];
    const lo = Math.max(from, base),
      hi = Math.min(end, base + n);
    if (lo < hi) {
      const col = float64View(b).subarray(c * n, (c + 1) * n);
      out.set(col.subarray(lo - base, hi - base), lo - from);
    }
    base += n;
  });
  return out;
}

/**
 * Unpack blocks (in order) of `k` columns each into `k` Float64Arrays of the total length.
 * Each block's length must be a multiple of 8·k bytes.
 */
export function unpackColumns(blocks: Uint8Array[], k: number): Float64Array[] {
  return Array.from({ length: k }, (_, c) => unpackColumn(blocks, k, c));
}
