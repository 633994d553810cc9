/**
 * A Parquet writer and reader for flat tables (the bar files we export and import).
 *
 * Writer: one row group, one PLAIN-encoded, uncompressed data page (v1) per column, every
 * column REQUIRED; the footer is a Thrift-compact FileMetaData (./thrift-compact.ts). Output is
 * deterministic: the same columns give the same bytes.
 * Reader: what pandas/pyarrow, polars, DuckDB and Spark write for a flat table — any number of
 * row groups and pages, data pages v1 and v2, dictionary pages with PLAIN_DICTIONARY /
 * RLE_DICTIONARY data, PLAIN, DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY and
 * BYTE_STREAM_SPLIT values, REQUIRED and OPTIONAL (nullable) columns (definition levels in the
 * RLE / bit-packed hybrid), SNAPPY (./snappy.ts) or any codec whose decompressor the caller
 * passes (the server passes GZIP, BROTLI, ZSTD), types INT32 (DATE), INT64 (TIMESTAMP
 * millis/micros/nanos), INT96 timestamps, FLOAT, DOUBLE, DECIMAL (read as the nearest double)
 * and BYTE_ARRAY strings. A caller may read only some columns; the rest are skipped undecoded.
 * Anything else in a column that is read (BOOLEAN, nested or repeated columns, LZ4 or ZSTD
 * without a decompressor…) is refused with {@link ParquetFormatError} naming what was found,
 * never misread.
 * Layout (format spec): "PAR1", column chunks, footer, 4-byte little-endian footer length, "PAR1".
 */
import { snappyDecompress, SnappyError } from "./snappy";
import { CompactReader, encodeStruct, ThriftDecodeError, type ThriftStruct, type ThriftValue } from "./thrift-compact";

/** Parquet physical types (spec enum `Type`). */
const T = {
  BOOLEAN: 0,
  INT32: 1,
  INT64: 2,
  INT96: 3,
  FLOAT: 4,
  DOUBLE: 5,
  BYTE_ARRAY: 6,
  FIXED_LEN_BYTE_ARRAY: 7,
} as const;
const TYPE_NAME = ["BOOLEAN", "INT32", "INT64", "INT96", "FLOAT", "DOUBLE", "BYTE_ARRAY", "FIXED_LEN_BYTE_ARRAY"];
const CONVERTED = { UTF8: 0, DATE: 6, TIMESTAMP_MILLIS: 9, TIMESTAMP_MICROS: 10 } as const;
const CODEC_NAME = ["UNCOMPRESSED", "SNAPPY", "GZIP", "LZO", "BROTLI", "LZ4", "ZSTD", "LZ4_RAW"];
const ENCODING_NAME: Record<number, string> = {
  0: "PLAIN",
  2: "PLAIN_DICTIONARY",
  3: "RLE",
  4: "BIT_PACKED",
  5: "DELTA_BINARY_PACKED",
  6: "DELTA_LENGTH_BYTE_ARRAY",
  7: "DELTA_BYTE_ARRAY",
  8: "RLE_DICTIONARY",
  9: "BYTE_STREAM_SPLIT",
};
const PLAIN = 0;
const RLE = 3;
const MAGIC = [0x50, 0x41, 0x52, 0x31]; // "PAR1"

/** A column to write. Timestamps are UTC milliseconds (whole numbers), stored as INT64 TIMESTAMP(MILLIS, UTC). */
export type ParquetColumnIn =
  | { name: string; kind: "timestamp-ms"; values: Float64Array }
  | { name: string; kind: "double"; values: Float64Array }
  | { name: string; kind: "string"; values: readonly string[] };

/**
 * A column read back. INT64 values stay exact as bigints (INT96 timestamps become INT64
 * nanoseconds); strings are UTF-8 decoded. `nulls` lists the 0-based rows that are null, in
 * order (present only when there are any); `values` holds 0, 0n or "" at those rows.
 */
export type ParquetColumnOut = { name: string; nulls?: Uint32Array } & (
  | { physical: "INT64"; timeUnit: "ms" | "us" | "ns" | null; values: BigInt64Array }
  | { physical: "INT32"; date: boolean; values: Int32Array }
  | { physical: "DOUBLE" | "FLOAT"; values: Float64Array }
  | { physical: "BYTE_ARRAY"; values: string[] }
);

export interface ParquetTable {
  numRows: number;
  /** The columns read, in file order. */
  columns: ParquetColumnOut[];
  /** Columns left out by {@link ReadParquetOptions.columns} (dotted paths for nested ones), never decoded. */
  skipped: string[];
}

/** A file this reader cannot or will not read; the message says why. */
export class ParquetFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ParquetFormatError";
  }
}

const i32 = (v: number): ThriftValue => ({ t: "i32", v });
const i64 = (v: number | bigint): ThriftValue => ({ t: "i64", v });
const str = (v: string): ThriftValue => ({ t: "bin", v });
const struct = (f: ReadonlyArray<readonly [number, ThriftValue | undefined]>): ThriftValue => ({ t: "struct", f });

function plainValues(col: ParquetColumnIn): Uint8Array {
  if (col.kind === "string") {
    const enc = new TextEncoder();
    const parts = col.values.map((s) => enc.encode(s));
    const out = new Uint8Array(parts.reduce((n, p) => n + 4 + p.length, 0));
    const dv = new DataView(out.buffer);
    let pos = 0;
    for (const p of parts) {
      dv.setUint32(pos, p.length, true);
      out.set(p, pos + 4);
      pos += 4 + p.length;
    }
    return out;
  }
  const out = new Uint8Array(col.values.length * 8);
  const dv = new DataView(out.buffer);
  if (col.kind === "double") {
    col.values.forEach((v, i) => dv.setFloat64(i * 8, v, true));
  } else {
    col.values.forEach((v, i) => {
      if (!Number.isSafeInteger(v))
        throw new RangeError(`column ${col.name}: timestamp ${v} at row ${i} is not a whole number of milliseconds`);
      dv.setBigInt64(i * 8, BigInt(v), true);
    });
  }
  return out;
}

function schemaElement(col: ParquetColumnIn): ThriftValue {
  const REQUIRED = 0;
  if (col.kind === "double")
    return struct([
      [1, i32(T.DOUBLE)],
      [3, i32(REQUIRED)],
      [4, str(col.name)],
    ]);
  if (col.kind === "string") {
    // LogicalType STRING (union field 1, an empty struct) with ConvertedType UTF8 for older readers.
    return struct([
      [1, i32(T.BYTE_ARRAY)],
      [3, i32(REQUIRED)],
      [4, str(col.name)],
      [6, i32(CONVERTED.UTF8)],
      [10, struct([[1, struct([])]])],
    ]);
  }
  // LogicalType TIMESTAMP (union field 8): isAdjustedToUTC = true, unit = MILLIS (TimeUnit field 1).
  const timestamp = struct([
    [1, { t: "bool", v: true }],
    [2, struct([[1, struct([])]])],
  ]);
  return struct([
    [1, i32(T.INT64)],
    [3, i32(REQUIRED)],
    [4, str(col.name)],
    [6, i32(CONVERTED.TIMESTAMP_MILLIS)],
    [10, struct([[8, timestamp]])],
  ]);
}

const PHYSICAL: Record<ParquetColumnIn["kind"], number> = {
  "timestamp-ms": T.INT64,
  double: T.DOUBLE,
  string: T.BYTE_ARRAY,
};

/** Write a flat table (every column the same length) as Parquet bytes. */
export function writeParquet(columns: readonly ParquetColumnIn[], opts: { createdBy?: string } = {}): Uint8Array {
  if (columns.length === 0) throw new RangeError("a Parquet file needs at least one column");
  const rows = columns[0].values.length;
  for (const c of columns)
    if (c.values.length !== rows)
      throw new RangeError(`column ${c.name} has ${c.values.length} values, ${columns[0].name} has ${rows}`);
  const parts: Uint8Array[] = [Uint8Array.from(MAGIC)];
  let offset = MAGIC.length;
  const chunks: ThriftValue[] = [];
  let totalBytes = 0;
  for (const col of columns) {
    const data = plainValues(col);
    const dataPage = struct([
      [1, i32(rows)],
      [2, i32(PLAIN)],
      [3, i32(RLE)],
      [4, i32(RLE)],
    ]);
    const header = encodeStruct([
      [1, i32(0)],
      [2, i32(data.length)],
      [3, i32(data.length)],
      [5, dataPage],
    ]);
    const size = header.length + data.length;
    const meta = struct([
      [1, i32(PHYSICAL[col.kind])],
      [2, { t: "list", et: "i32", items: [i32(PLAIN), i32(RLE)] }],
      [3, { t: "list", et: "bin", items: [str(col.name)] }],
      [4, i32(0)],
      [5, i64(rows)],
      [6, i64(size)],
      [7, i64(size)],
      [9, i64(offset)],
    ]);
    chunks.push(
      struct([
        [2, i64(offset)],
        [3, meta],
      ]),
    );
    parts.push(header, data);
    offset += size;
    totalBytes += size;
  }
  const schema = [
    struct([
      [4, str("schema")],
      [5, i32(columns.length)],
    ]),
    ...columns.map(schemaElement),
  ];
  const footer = encodeStruct([
    [1, i32(1)],
    [2, { t: "list", et: "struct", items: schema }],
    [3, i64(rows)],
    [
      4,
      {
        t: "list",
        et: "struct",
        items: [
          struct([
            [1, { t: "list", et: "struct", items: chunks }],
            [2, i64(totalBytes)],
            [3, i64(rows)],
          ]),
        ],
      },
    ],
    [6, str(opts.createdBy ?? "strategy-lab parquet writer")],
  ]);
  const tail = new Uint8Array(8);
  new DataView(tail.buffer).setUint32(0, footer.length, true);
  tail.set(MAGIC, 4);
  parts.push(footer, tail);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let pos = 0;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
}

function num(v: unknown, what: string): number {
  if (typeof v === "number") return v;
  if (typeof v === "bigint" && v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER))
    return Number(v);
  throw new ParquetFormatError(`malformed footer: ${what} is missing or not an integer`);
}

function asStruct(v: unknown, what: string): ThriftStruct {
  if (v instanceof Map) return v as ThriftStruct;
  throw new ParquetFormatError(`malformed footer: ${what} is missing`);
}

function asList(v: unknown, what: string): unknown[] {
  if (Array.isArray(v)) return v;
  throw new ParquetFormatError(`malformed footer: ${what} is missing`);
}

const text = (v: unknown) => (v instanceof Uint8Array ? new TextDecoder().decode(v) : "");

interface Leaf {
  name: string;
  type: number;
  /** Width of a FIXED_LEN_BYTE_ARRAY value; 0 otherwise. */
  typeLength: number;
  optional: boolean;
  timeUnit: "ms" | "us" | "ns" | null;
  date: boolean;
  /** DECIMAL(p, s) stored as INT32, INT64 or FIXED_LEN_BYTE_ARRAY: read as the double nearest value / 10^s. */
  decimalScale: number | null;
}

const READABLE = [T.INT32, T.INT64, T.INT96, T.FLOAT, T.DOUBLE, T.BYTE_ARRAY, T.FIXED_LEN_BYTE_ARRAY] as number[];

function leafOf(el: ThriftStruct): Leaf {
  const name = text(el.get(4));
  const rep = el.get(3) ?? 0;
  if (rep === 2)
    throw new ParquetFormatError(`column ${name} is REPEATED (a list); only flat columns, nullable or not, are read`);
  const type = num(el.get(1), `type of column ${name}`);
  const converted = el.get(6);
  const logical = el.get(10) instanceof Map ? (el.get(10) as ThriftStruct) : undefined;
  let timeUnit: Leaf["timeUnit"] =
    converted === CONVERTED.TIMESTAMP_MILLIS ? "ms" : converted === CONVERTED.TIMESTAMP_MICROS ? "us" : null;
  const ts = logical?.get(8);
  if (ts instanceof Map) {
    const unit = ts.get(2);
    if (unit instanceof Map) timeUnit = unit.has(1) ? "ms" : unit.has(2) ? "us" : unit.has(3) ? "ns" : timeUnit;
  }
  // INT96 is the legacy timestamp (Spark, Impala, old pandas): read as nanoseconds.
  if (type === T.INT96) timeUnit = "ns";
  const date = converted === CONVERTED.DATE || (logical?.has(6) ?? false);
  const typeLength = type === T.FIXED_LEN_BYTE_ARRAY ? num(el.get(2), `type_length of column ${name}`) : 0;
  const dec = logical?.get(5);
  const decimalScale =
    dec instanceof Map ? num(dec.get(1) ?? 0, "decimal scale") : converted === 5 ? num(el.get(7) ?? 0, "scale") : null;
  if (decimalScale !== null && (decimalScale < 0 || decimalScale > 22))
    throw new ParquetFormatError(`column ${name} is DECIMAL with scale ${decimalScale}; scales 0..22 are read`);
  if (type === T.BYTE_ARRAY && decimalScale !== null)
    throw new ParquetFormatError(
      `column ${name} is a DECIMAL stored as BYTE_ARRAY; write it as DOUBLE or a fixed-width DECIMAL`,
    );
  if (!READABLE.includes(type) || (type === T.FIXED_LEN_BYTE_ARRAY && decimalScale === null))
    throw new ParquetFormatError(
      `column ${name} has type ${TYPE_NAME[type] ?? type}${type === T.FIXED_LEN_BYTE_ARRAY ? " (not DECIMAL)" : ""}; only INT32, INT64, INT96, FLOAT, DOUBLE, BYTE_ARRAY and DECIMAL are read`,
    );
  return { name, type, typeLength, optional: rep === 1, timeUnit, date, decimalScale };
}

/** Decompressor for a codec lib/ does not implement itself; gets the page bytes and the size they must expand to. */
export type Decompressor = (data: Uint8Array, uncompressedSize: number) => Uint8Array;

export interface ReadParquetOptions {
  /**
   * Extra codecs by name (`GZIP`, `BROTLI`, `ZSTD`, `LZ4_RAW`…). SNAPPY and UNCOMPRESSED are
   * built in; the server passes GZIP from its platform (lib/ does no I/O and imports no platform module).
   */
  decompressors?: Partial<Record<string, Decompressor>>;
  /**
   * Which top-level columns to read (by name); the others are skipped undecoded, so a column
   * this reader cannot read only matters when it is asked for. Default: every column.
   */
  columns?: (name: string) => boolean;
}

/** A schema leaf in file order: readable, or the reason it is not. */
type SchemaLeaf = { name: string; top: string; leaf: Leaf | null; refusal: string | null };

/** The schema's leaves in column-chunk order (depth first), nested ones named by their dotted path. */
function schemaLeaves(schema: ThriftStruct[]): SchemaLeaf[] {
  const out: SchemaLeaf[] = [];
  let i = 1;
  const walk = (path: string[]) => {
    const el = schema[i++];
    if (!el) throw new ParquetFormatError("malformed footer: the schema has fewer elements than its groups say");
    const name = text(el.get(4));
    const full = [...path, name];
    if (el.get(5) !== undefined) {
      const n = num(el.get(5), `children of ${name}`);
      for (let k = 0; k < n; k++) walk(full);
      return;
    }
    if (path.length > 0) {
      out.push({
        name: full.join("."),
        top: full[0],
        leaf: null,
        refusal: `column ${full[0]} is a nested group (${full.join(".")}); only flat columns are read`,
      });
      return;
    }
    try {
      out.push({ name, top: name, leaf: leafOf(el), refusal: null });
    } catch (err) {
      if (!(err instanceof ParquetFormatError)) throw err;
      out.push({ name, top: name, leaf: null, refusal: err.message });
    }
  };
  const top = num(schema[0].get(5), "root column count");
  for (let k = 0; k < top; k++) walk([]);
  if (i !== schema.length)
    throw new ParquetFormatError("malformed footer: the schema has more elements than its groups hold");
  return out;
}

type Value = number | bigint | string;

const PLAIN_DICTIONARY = 2;
const RLE_DICTIONARY = 8;
const BYTE_STREAM_SPLIT = 9;
const DELTA_BINARY_PACKED = 5;
const DELTA_LENGTH_BYTE_ARRAY = 6;
const DELTA_BYTE_ARRAY = 7;
const JULIAN_EPOCH_DAY = 2_440_588n; // Julian day number of 1970-01-01
const NS_PER_DAY = 86_400_000_000_000n;

function valueWidth(leaf: Leaf): number {
  switch (leaf.type) {
    case T.INT64:
    case T.DOUBLE:
      return 8;
    case T.INT32:
    case T.FLOAT:
      return 4;
    case T.INT96:
      return 12;
    case T.FIXED_LEN_BYTE_ARRAY:
      return leaf.typeLength;
    default:
      return 0;
  }
}

/** `count` PLAIN values from `bytes[start, end)`. */
function decodePlain(leaf: Leaf, bytes: Uint8Array, start: number, end: number, count: number): Value[] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const width = valueWidth(leaf);
  if (width > 0 && start + count * width > end)
    throw new ParquetFormatError(`column ${leaf.name}: page holds fewer bytes than its ${count} values need`);
  const out: Value[] = new Array(count);
  const utf8 = new TextDecoder("utf-8", { fatal: true });
  let pos = start;
  for (let i = 0; i < count; i++) {
    switch (leaf.type) {
      case T.INT64:
        out[i] = dv.getBigInt64(pos, true);
        break;
      case T.DOUBLE:
        out[i] = dv.getFloat64(pos, true);
        break;
      case T.INT32:
        out[i] = dv.getInt32(pos, true);
        break;
      case T.FLOAT:
        out[i] = dv.getFloat32(pos, true);
        break;
      case T.INT96: {
        const nanos = dv.getBigInt64(pos, true);
        const day = BigInt(dv.getInt32(pos + 8, true));
        out[i] = (day - JULIAN_EPOCH_DAY) * NS_PER_DAY + nanos;
        break;
      }
      case T.FIXED_LEN_BYTE_ARRAY: {
        // a DECIMAL's unscaled value, big-endian two's complement
        let v = 0n;
        for (let k = 0; k < width; k++) v = (v << 8n) | BigInt(bytes[pos + k]);
        out[i] = width > 0 ? BigInt.asIntN(width * 8, v) : 0n;
        break;
      }
      case T.BYTE_ARRAY: {
        if (pos + 4 > end) throw new ParquetFormatError(`column ${leaf.name}: truncated string at value ${i}`);
        const n = dv.getUint32(pos, true);
        if (pos + 4 + n > end) throw new ParquetFormatError(`column ${leaf.name}: string ${i} runs past its page`);
        try {
          out[i] = utf8.decode(bytes.subarray(pos + 4, pos + 4 + n));
        } catch {
          throw new ParquetFormatError(`column ${leaf.name}: value ${i} is not UTF-8 text`);
        }
        pos += 4 + n;
        continue;
      }
    }
    pos += width;
  }
  return out;
}

/** BYTE_STREAM_SPLIT: byte k of value i sits at `k * count + i`. */
function decodeByteStreamSplit(leaf: Leaf, bytes: Uint8Array, start: number, end: number, count: number): Value[] {
  const width = valueWidth(leaf);
  if (![T.FLOAT, T.DOUBLE, T.INT32, T.INT64].includes(leaf.type as 1))
    throw new ParquetFormatError(`column ${leaf.name}: BYTE_STREAM_SPLIT of ${TYPE_NAME[leaf.type]} is not read`);
  if (start + width * count > end)
    throw new ParquetFormatError(`column ${leaf.name}: page holds fewer bytes than its ${count} values need`);
  const joined = new Uint8Array(width * count);
  for (let i = 0; i < count; i++) for (let k = 0; k < width; k++) joined[i * width + k] = bytes[start + k * count + i];
  return decodePlain(leaf, joined, 0, joined.length, count);
}

/**
 * The RLE / bit-packed hybrid (definition levels, dictionary indices): runs of
 * `varint header`, where an even header is `count << 1` followed by one value in
 * ceil(bitWidth / 8) little-endian bytes, and an odd header is `groups << 1 | 1` followed by
 * groups × 8 values packed `bitWidth` bits each, least significant bit first.
 */
export function decodeRleHybrid(
  bytes: Uint8Array,
  start: number,
  end: number,
  bitWidth: number,
  count: number,
  what: string,
): Uint32Array {
  if (bitWidth > 32) throw new ParquetFormatError(`${what}: bit width ${bitWidth} is larger than 32`);
  const out = new Uint32Array(count);
  const byteWidth = (bitWidth + 7) >> 3;
  const mod = 2 ** bitWidth;
  let i = 0;
  let pos = start;
  while (i < count) {
    let header = 0;
    for (let shift = 0; ; shift += 7) {
      if (pos >= end || shift > 35) throw new ParquetFormatError(`${what}: runs end after ${i} of ${count} values`);
      const b = bytes[pos++];
      header += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) break;
    }
    const runLength = Math.floor(header / 2);
    if (header % 2 === 0) {
      if (pos + byteWidth > end) throw new ParquetFormatError(`${what}: truncated run value`);
      let v = 0;
      for (let k = 0; k < byteWidth; k++) v += bytes[pos + k] * 2 ** (8 * k);
      pos += byteWidth;
      const n = Math.min(runLength, count - i);
      out.fill(v, i, i + n);
      i += n;
    } else {
      const values = runLength * 8;
      const take = Math.min(values, count - i);
      const need = Math.ceil((take * bitWidth) / 8);
      if (pos + need > end) throw new ParquetFormatError(`${what}: truncated bit-packed run`);
      let acc = 0;
      let bits = 0;
      let p = pos;
      for (let k = 0; k < take; k++) {
        while (bits < bitWidth) {
          acc += bytes[p++] * 2 ** bits;
          bits += 8;
        }
        out[i + k] = acc % mod;
        acc = Math.floor(acc / mod);
        bits -= bitWidth;
      }
      i += take;
      pos = Math.min(end, pos + runLength * bitWidth);
    }
  }
  return out;
}

function readVarint(bytes: Uint8Array, at: { pos: number }, end: number, what: string): bigint {
  let v = 0n;
  for (let shift = 0n; ; shift += 7n) {
    if (at.pos >= end || shift > 63n) throw new ParquetFormatError(`${what}: truncated header`);
    const b = bytes[at.pos++];
    v |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) return v;
  }
}

/**
 * DELTA_BINARY_PACKED (INT32, INT64): a header `block size, miniblocks per block, value count,
 * first value (zigzag)`, then blocks of `min delta (zigzag), one bit width per miniblock,
 * miniblocks of bit-packed deltas above the minimum`; each value is the previous one plus
 * min delta plus its packed delta, in wrapping 32- or 64-bit arithmetic.
 */
function deltaInts(
  bytes: Uint8Array,
  start: number,
  end: number,
  count: number,
  bits: 32 | 64,
  what: string,
): { values: bigint[]; end: number } {
  const wrap = (v: bigint) => BigInt.asIntN(bits, v);
  const at = { pos: start };
  const blockSize = Number(readVarint(bytes, at, end, what));
  const miniblocks = Number(readVarint(bytes, at, end, what));
  const total = Number(readVarint(bytes, at, end, what));
  const zz = (u: bigint) => (u >> 1n) ^ -(u & 1n);
  let prev = wrap(zz(readVarint(bytes, at, end, what)));
  if (miniblocks <= 0 || blockSize <= 0 || blockSize % (miniblocks * 8) !== 0 || total < count)
    throw new ParquetFormatError(`${what}: bad header (block ${blockSize}, miniblocks ${miniblocks}, ${total} values)`);
  const perMini = blockSize / miniblocks;
  const values: bigint[] = [];
  if (count > 0) values.push(prev);
  while (values.length < count) {
    const minDelta = zz(readVarint(bytes, at, end, what));
    if (at.pos + miniblocks > end) throw new ParquetFormatError(`${what}: truncated block`);
    const widths = bytes.subarray(at.pos, at.pos + miniblocks);
    at.pos += miniblocks;
    for (let m = 0; m < miniblocks && values.length < count; m++) {
      const w = widths[m];
      if (w > bits) throw new ParquetFormatError(`${what}: bit width ${w} in a ${bits}-bit column`);
      const take = Math.min(perMini, count - values.length);
      if (at.pos + Math.ceil((take * w) / 8) > end) throw new ParquetFormatError(`${what}: truncated miniblock`);
      let bitPos = at.pos * 8;
      for (let k = 0; k < take; k++) {
        let delta = 0n;
        for (let got = 0; got < w;) {
          const off = bitPos & 7;
          const n = Math.min(8 - off, w - got);
          delta |= BigInt((bytes[bitPos >> 3] >> off) & ((1 << n) - 1)) << BigInt(got);
          got += n;
          bitPos += n;
        }
        prev = wrap(prev + minDelta + delta);
        values.push(prev);
      }
      // a miniblock always occupies its full size, padding included
      at.pos = Math.min(end, at.pos + (perMini * w) / 8);
    }
  }
  return { values, end: at.pos };
}

function decodeDeltaBinaryPacked(leaf: Leaf, bytes: Uint8Array, start: number, end: number, count: number): Value[] {
  if (leaf.type !== T.INT32 && leaf.type !== T.INT64)
    throw new ParquetFormatError(`column ${leaf.name}: DELTA_BINARY_PACKED of ${TYPE_NAME[leaf.type]} is not read`);
  const { values } = deltaInts(
    bytes,
    start,
    end,
    count,
    leaf.type === T.INT32 ? 32 : 64,
    `column ${leaf.name} delta values`,
  );
  return leaf.type === T.INT32 ? values.map(Number) : values;
}

/**
 * DELTA_LENGTH_BYTE_ARRAY (lengths delta-packed, then the bytes back to back) and
 * DELTA_BYTE_ARRAY (prefix lengths shared with the previous value, delta-packed, then the
 * suffixes as DELTA_LENGTH_BYTE_ARRAY) for strings.
 */
function decodeDeltaStrings(
  leaf: Leaf,
  incremental: boolean,
  bytes: Uint8Array,
  start: number,
  end: number,
  count: number,
): Value[] {
  if (leaf.type !== T.BYTE_ARRAY)
    throw new ParquetFormatError(
      `column ${leaf.name}: ${incremental ? "DELTA_BYTE_ARRAY" : "DELTA_LENGTH_BYTE_ARRAY"} of ${TYPE_NAME[leaf.type]} is not read`,
    );
  const what = `column ${leaf.name} delta strings`;
  let pos = start;
  let prefixes: bigint[] = [];
  if (incremental) {
    const p = deltaInts(bytes, pos, end, count, 32, what);
    prefixes = p.values;
    pos = p.end;
  }
  const lens = deltaInts(bytes, pos, end, count, 32, what);
  pos = lens.end;
  const utf8 = new TextDecoder("utf-8", { fatal: true });
  const out: Value[] = new Array(count);
  let prev = new Uint8Array(0);
  for (let i = 0; i < count; i++) {
    const n = Number(lens.values[i]);
    const keep = incremental ? Number(prefixes[i]) : 0;
    if (n < 0 || pos + n > end || keep < 0 || keep > prev.length)
      throw new ParquetFormatError(`${what}: value ${i} runs past its page`);
    let value = bytes.subarray(pos, pos + n);
    pos += n;
    if (incremental) {
      const joined = new Uint8Array(keep + n);
      joined.set(prev.subarray(0, keep));
      joined.set(value, keep);
      value = joined;
      prev = joined;
    }
    try {
      out[i] = utf8.decode(value);
    } catch {
      throw new ParquetFormatError(`column ${leaf.name}: value ${i} is not UTF-8 text`);
    }
  }
  return out;
}

/** The dictionary values of a column chunk, once its dictionary page has been read. */
type Dictionary = Value[] | null;

function decodeValues(
  leaf: Leaf,
  encoding: number,
  bytes: Uint8Array,
  start: number,
  end: number,
  count: number,
  dict: Dictionary,
): Value[] {
  if (encoding === PLAIN) return decodePlain(leaf, bytes, start, end, count);
  if (encoding === BYTE_STREAM_SPLIT) return decodeByteStreamSplit(leaf, bytes, start, end, count);
  if (encoding === DELTA_BINARY_PACKED) return decodeDeltaBinaryPacked(leaf, bytes, start, end, count);
  if (encoding === DELTA_LENGTH_BYTE_ARRAY || encoding === DELTA_BYTE_ARRAY)
    return decodeDeltaStrings(leaf, encoding === DELTA_BYTE_ARRAY, bytes, start, end, count);
  if (encoding === RLE_DICTIONARY || encoding === PLAIN_DICTIONARY) {
    if (!dict)
      throw new ParquetFormatError(`column ${leaf.name}: a dictionary-encoded page comes without a dictionary page`);
    if (count === 0) return [];
    if (start >= end) throw new ParquetFormatError(`column ${leaf.name}: empty dictionary-encoded page`);
    const idx = decodeRleHybrid(bytes, start + 1, end, bytes[start], count, `column ${leaf.name} dictionary indices`);
    const out: Value[] = new Array(count);
    for (let i = 0; i < count; i++) {
      const v = dict[idx[i]];
      if (v === undefined)
        throw new ParquetFormatError(
          `column ${leaf.name}: dictionary index ${idx[i]} is past the dictionary's ${dict.length} entries`,
        );
      out[i] = v;
    }
    return out;
  }
  throw new ParquetFormatError(
    `column ${leaf.name} uses ${ENCODING_NAME[encoding] ?? `encoding ${encoding}`}, which this reader does not support; ` +
      "PLAIN, dictionary (PLAIN_DICTIONARY, RLE_DICTIONARY), the DELTA encodings and BYTE_STREAM_SPLIT are read",
  );
}

function inflate(
  leaf: Leaf,
  codec: number,
  data: Uint8Array,
  uncompressedSize: number,
  opts: ReadParquetOptions,
): Uint8Array {
  if (codec === 0) return data;
  let out: Uint8Array;
  const name = CODEC_NAME[codec] ?? `codec ${codec}`;
  if (codec === 1) {
    try {
      out = snappyDecompress(data, uncompressedSize);
    } catch (err) {
      if (err instanceof SnappyError)
        throw new ParquetFormatError(`column ${leaf.name}: corrupt SNAPPY page (${err.message})`);
      throw err;
    }
  } else {
    const fn = opts.decompressors?.[name];
    if (!fn) {
      const known = ["UNCOMPRESSED", "SNAPPY", ...Object.keys(opts.decompressors ?? {})];
      throw new ParquetFormatError(
        `column ${leaf.name} is compressed with ${name}, which this reader does not support; write the file with ${known.join(", ")}`,
      );
    }
    try {
      out = fn(data, uncompressedSize);
    } catch (err) {
      throw new ParquetFormatError(
        `column ${leaf.name}: corrupt ${name} page (${err instanceof Error ? err.message : String(err)})`,
      );
    }
  }
  if (out.length !== uncompressedSize)
    throw new ParquetFormatError(
      `column ${leaf.name}: a ${name} page expanded to ${out.length} bytes, its header says ${uncompressedSize}`,
    );
  return out;
}

/** One column's values in row order, with the rows that are null (placeholders hold 0, 0n or ""). */
interface ColumnSink {
  values: Value[];
  nulls: number[];
}

function placeholder(leaf: Leaf): Value {
  return leaf.type === T.INT64 || leaf.type === T.INT96 || leaf.type === T.FIXED_LEN_BYTE_ARRAY
    ? 0n
    : leaf.type === T.BYTE_ARRAY
      ? ""
      : 0;
}

function readChunk(
  leaf: Leaf,
  cm: ThriftStruct,
  bytes: Uint8Array,
  footerStart: number,
  sink: ColumnSink,
  opts: ReadParquetOptions,
): void {
  const codec = num(cm.get(4), "codec");
  const want = num(cm.get(5), "num_values");
  const dataOffset = num(cm.get(9), "data_page_offset");
  const dictOffset = cm.get(11) === undefined ? 0 : num(cm.get(11), "dictionary_page_offset");
  let pos = dictOffset > 0 && dictOffset < dataOffset ? dictOffset : dataOffset;
  let dict: Dictionary = null;
  let got = 0;
  const fill = placeholder(leaf);
  while (got < want) {
    if (pos < 4 || pos >= footerStart)
      throw new ParquetFormatError(`column ${leaf.name}: page offset ${pos} is outside the data`);
    const r = new CompactReader(bytes.subarray(0, footerStart), pos);
    const ph = r.struct();
    const pageType = num(ph.get(1), "page type");
    const rawSize = num(ph.get(2), "uncompressed_page_size");
    const size = num(ph.get(3), "compressed_page_size");
    const dataStart = r.pos;
    const dataEnd = dataStart + size;
    if (size < 0 || rawSize < 0 || dataEnd > footerStart)
      throw new ParquetFormatError(`column ${leaf.name}: page of ${size} bytes runs past the data`);
    pos = dataEnd;
    const raw = bytes.subarray(dataStart, dataEnd);

    if (pageType === 2) {
      const dh = asStruct(ph.get(7), "dictionary page header");
      const n = num(dh.get(1), "dictionary num_values");
      const enc = num(dh.get(2), "dictionary encoding");
      if (enc !== PLAIN && enc !== PLAIN_DICTIONARY)
        throw new ParquetFormatError(
          `column ${leaf.name}: dictionary page encoded as ${ENCODING_NAME[enc] ?? enc}; only PLAIN dictionaries are read`,
        );
      const page = inflate(leaf, codec, raw, rawSize, opts);
      dict = decodePlain(leaf, page, 0, page.length, n);
      continue;
    }
    if (pageType !== 0 && pageType !== 3) continue; // index pages carry nothing to read

    let n: number;
    let encoding: number;
    let defs: Uint32Array | null = null;
    let page: Uint8Array;
    let valuesStart: number;
    if (pageType === 0) {
      const dph = asStruct(ph.get(5), "data page header");
      n = num(dph.get(1), "num_values");
      encoding = num(dph.get(2), "encoding");
      page = inflate(leaf, codec, raw, rawSize, opts);
      valuesStart = 0;
      if (leaf.optional) {
        const defEncoding = num(dph.get(3) ?? RLE, "definition_level_encoding");
        if (defEncoding !== RLE)
          throw new ParquetFormatError(
            `column ${leaf.name}: definition levels encoded as ${ENCODING_NAME[defEncoding] ?? defEncoding}; only RLE is read`,
          );
        if (page.length < 4) throw new ParquetFormatError(`column ${leaf.name}: page too short for its null markers`);
        const len = new DataView(page.buffer, page.byteOffset, page.length).getUint32(0, true);
        if (4 + len > page.length) throw new ParquetFormatError(`column ${leaf.name}: null markers run past the page`);
        defs = decodeRleHybrid(page, 4, 4 + len, 1, n, `column ${leaf.name} definition levels`);
        valuesStart = 4 + len;
      }
    } else {
      const dph = asStruct(ph.get(8), "data page v2 header");
      n = num(dph.get(1), "num_values");
      const nullCount = num(dph.get(2), "num_nulls");
      encoding = num(dph.get(4), "encoding");
      const defLen = num(dph.get(5), "definition_levels_byte_length");
      const repLen = num(dph.get(6), "repetition_levels_byte_length");
      const compressed = dph.get(7) !== false;
      if (defLen < 0 || repLen < 0 || repLen + defLen > raw.length)
        throw new ParquetFormatError(`column ${leaf.name}: level lengths run past the page`);
      if (!leaf.optional && nullCount !== 0)
        throw new ParquetFormatError(`column ${leaf.name} is REQUIRED but a page says it holds ${nullCount} nulls`);
      if (leaf.optional)
        defs = decodeRleHybrid(raw, repLen, repLen + defLen, 1, n, `column ${leaf.name} definition levels`);
      const body = raw.subarray(repLen + defLen);
      page = compressed ? inflate(leaf, codec, body, rawSize - repLen - defLen, opts) : body;
      valuesStart = 0;
    }
    if (n < 0 || got + n > want)
      throw new ParquetFormatError(`column ${leaf.name}: pages hold more values than the chunk's ${want}`);
    let present = n;
    if (defs) {
      present = 0;
      for (const d of defs) {
        if (d > 1) throw new ParquetFormatError(`column ${leaf.name}: definition level ${d} in a flat column`);
        present += d;
      }
    }
    const values = decodeValues(leaf, encoding, page, valuesStart, page.length, present, dict);
    if (!defs) for (const v of values) sink.values.push(v);
    else {
      let k = 0;
      for (let i = 0; i < n; i++) {
        if (defs[i] === 1) sink.values.push(values[k++]);
        else {
          sink.nulls.push(sink.values.length);
          sink.values.push(fill);
        }
      }
    }
    got += n;
  }
}

/** Read a flat Parquet table. @throws ParquetFormatError with the reason. */
export function readParquet(bytes: Uint8Array, opts: ReadParquetOptions = {}): ParquetTable {
  try {
    return readParquetUnchecked(bytes, opts);
  } catch (err) {
    if (err instanceof ThriftDecodeError || err instanceof RangeError || err instanceof TypeError)
      throw new ParquetFormatError(`malformed Parquet file: ${err.message}`);
    throw err;
  }
}

function readParquetUnchecked(bytes: Uint8Array, opts: ReadParquetOptions): ParquetTable {
  const len = bytes.length;
  const magicAt = (p: number) => MAGIC.every((b, i) => bytes[p + i] === b);
  if (len < 12 || !magicAt(0) || !magicAt(len - 4))
    throw new ParquetFormatError("not a Parquet file (it must start and end with PAR1)");
  const footerLen = new DataView(bytes.buffer, bytes.byteOffset, len).getUint32(len - 8, true);
  const footerStart = len - 8 - footerLen;
  if (footerLen === 0 || footerStart < 4)
    throw new ParquetFormatError(`malformed Parquet file: footer length ${footerLen} does not fit the file`);
  const meta = new CompactReader(bytes.subarray(0, len - 8), footerStart).struct();
  const schema = asList(meta.get(2), "schema").map((s, i) => asStruct(s, `schema element ${i}`));
  if (schema.length < 2) throw new ParquetFormatError("the file has no columns");
  const all = schemaLeaves(schema);
  const wanted = all.map((l) => opts.columns?.(l.top) ?? true);
  const skipped = [...new Set(all.filter((_, j) => !wanted[j]).map((l) => l.name))];
  for (const [j, l] of all.entries()) if (wanted[j] && l.refusal) throw new ParquetFormatError(l.refusal);
  const picked = all.flatMap((l, j) => (wanted[j] && l.leaf ? [{ leaf: l.leaf, chunk: j }] : []));
  const numRows = num(meta.get(3), "num_rows");
  const sinks: ColumnSink[] = picked.map(() => ({ values: [], nulls: [] }));
  const groups = meta.get(4) === undefined ? [] : asList(meta.get(4), "row groups");
  for (const [g, rg] of groups.entries()) {
    const chunks = asList(asStruct(rg, `row group ${g}`).get(1), `columns of row group ${g}`);
    if (chunks.length !== all.length)
      throw new ParquetFormatError(`row group ${g} has ${chunks.length} column chunks for ${all.length} columns`);
    picked.forEach(({ leaf, chunk }, k) => {
      const cm = asStruct(asStruct(chunks[chunk], `column chunk ${chunk}`).get(3), `metadata of column ${leaf.name}`);
      readChunk(leaf, cm, bytes, footerStart, sinks[k], opts);
    });
  }
  const columns = picked.map(({ leaf }, j): ParquetColumnOut => {
    const { values, nulls } = sinks[j];
    const nullRows = nulls.length > 0 ? { nulls: Uint32Array.from(nulls) } : {};
    if (leaf.decimalScale !== null) {
      const div = 10 ** leaf.decimalScale;
      return {
        name: leaf.name,
        physical: "DOUBLE",
        values: Float64Array.from(values as (number | bigint)[], (v) => Number(v) / div),
        ...nullRows,
      };
    }
    if (leaf.type === T.INT64 || leaf.type === T.INT96)
      return {
        name: leaf.name,
        physical: "INT64",
        timeUnit: leaf.timeUnit,
        values: BigInt64Array.from(values as bigint[]),
        ...nullRows,
      };
    if (leaf.type === T.INT32)
      return {
        name: leaf.name,
        physical: "INT32",
        date: leaf.date,
        values: Int32Array.from(values as number[]),
        ...nullRows,
      };
    if (leaf.type === T.BYTE_ARRAY)
      return { name: leaf.name, physical: "BYTE_ARRAY", values: values as string[], ...nullRows };
    return {
      name: leaf.name,
      physical: leaf.type === T.DOUBLE ? "DOUBLE" : "FLOAT",
      values: Float64Array.from(values as number[]),
      ...nullRows,
    };
  });
  for (const c of columns)
    if (c.values.length !== numRows)
      throw new ParquetFormatError(`column ${c.name} has ${c.values.length} values but the file says ${numRows} rows`);
  return { numRows, columns, skipped };
}
