/**
 * Snappy decompression (raw block format, as Parquet pages use it — not the framed stream).
 * A block is the uncompressed length as a varint, then elements whose tag byte's low two bits
 * say what follows: 0 a literal (length-1 in the tag's upper six bits, or in the next 1..4
 * bytes when those bits are 60..63), 1 a copy of 4..11 bytes with an 11-bit offset, 2 a copy of
 * 1..64 bytes with a 16-bit offset, 3 the same with a 32-bit offset. A copy may overlap its own
 * output (offset < length repeats the last `offset` bytes).
 */

/** Corrupt or truncated Snappy data. */
export class SnappyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SnappyError";
  }
}

/** Decompress one raw Snappy block. `expectedLength`, when given, must match the block's own length. */
export function snappyDecompress(input: Uint8Array, expectedLength?: number): Uint8Array {
  let pos = 0;
  let length = 0;
  for (let shift = 0; ; shift += 7) {
    if (pos >= input.length || shift > 28) throw new SnappyError("snappy: bad length header");
    const b = input[pos++];
    length += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) break;
  }
  if (expectedLength !== undefined && length !== expectedLength)
    throw new SnappyError(`snappy: block says ${length} bytes, the page header says ${expectedLength}`);
  const out = new Uint8Array(length);
  let at = 0;
  while (pos < input.length) {
    const tag = input[pos++];
    const kind = tag & 3;
    if (kind === 0) {
      let n = tag >>> 2;
      if (n >= 60) {
        const extra = n - 59;
        if (pos + extra > input.length) throw new SnappyError("snappy: truncated literal length");
        n = 0;
        for (let i = 0; i < extra; i++) n += input[pos + i] * 2 ** (8 * i);
        pos += extra;
      }
      n += 1;
      if (pos + n > input.length) throw new SnappyError("snappy: literal runs past the input");
      if (at + n > length) throw new SnappyError("snappy: literal runs past the stated length");
      out.set(input.subarray(pos, pos + n), at);
      pos += n;
      at += n;
      continue;
    }
    let n: number;
    let offset: number;
    if (kind === 1) {
      if (pos >= input.length) throw new SnappyError("snappy: truncated copy");
      n = ((tag >>> 2) & 7) + 4;
      offset = ((tag >>> 5) << 8) | input[pos++];
    } else if (kind === 2) {
      if (pos + 2 > input.length) throw new SnappyError("snappy: truncated copy");
      n = (tag >>> 2) + 1;
      offset = input[pos] | (input[pos + 1] << 8);
      pos += 2;
    } else {
      if (pos + 4 > input.length) throw new SnappyError("snappy: truncated copy");
      n = (tag >>> 2) + 1;
      offset = (input[pos] | (input[pos + 1] << 8) | (input[pos + 2] << 16)) + input[pos + 3] * 2 ** 24;
      pos += 4;
    }
    if (offset === 0 || offset > at) throw new SnappyError(`snappy: copy offset ${offset} at output byte ${at}`);
    if (at + n > length) throw new SnappyError("snappy: copy runs past the stated length");
    if (offset >= n) out.copyWithin(at, at - offset, at - offset + n);
    else for (let i = 0; i < n; i++) out[at + i] = out[at + i - offset];
    at += n;
  }
  if (at !== length) throw new SnappyError(`snappy: block holds ${at} bytes, its header says ${length}`);
  return out;
}
