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

/**
 * Unpack blocks (in order) of `k` columns each into `k` Float64Arrays of the total length.
 * Each block's length must be a multiple of 8·k bytes.
 */
export function unpackColumns(blocks: Uint8Array[], k: number): Float64Array[] {
  let total = 0;
  for (const b of blocks) {
    if (b.byteLength % (8 * k) !== 0) throw new RangeError(`packed block of ${b.byteLength} bytes is not ${k} Float64 columns`);
    total += b.byteLength / (8 * k);
  }
  const cols = Array.from({ length: k }, () => new Float64Array(total));
  let at = 0;
  for (const b of blocks) {
    const count = b.byteLength / (8 * k);
    // Copy into an aligned buffer first: driver buffers may start at any byte offset.
    const aligned = new Float64Array(count * k);
    new Uint8Array(aligned.buffer).set(b);
    for (let c = 0; c < k; c++) cols[c].set(aligned.subarray(c * count, (c + 1) * count), at);
    at += count;
  }
  return cols;
}
