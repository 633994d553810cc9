/**
 * A minimal Parquet writer and reader for flat tables (the bar files we export and import).
 *
 * Writer: one row group, one PLAIN-encoded, uncompressed data page (v1) per column, every
 * column REQUIRED; the footer is a Thrift-compact FileMetaData (./thrift-compact.ts). Output is
 * deterministic: the same columns give the same bytes.
 * Reader: any number of row groups and pages (v1 or v2), PLAIN encoding, UNCOMPRESSED,
 * REQUIRED flat columns of type INT32, INT64, FLOAT, DOUBLE or BYTE_ARRAY. Anything else
 * (dictionary pages, compression, nullable or nested columns) is refused with
 * {@link ParquetFormatError} naming what was found, never misread.
 * Layout (format spec): "PAR1", column chunks, footer, 4-byte little-endian footer length, "PAR1".
 */
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

/** A column read back. INT64 values stay exact as bigints; strings are UTF-8 decoded. */
export type ParquetColumnOut =
  | { name: string; physical: "INT64"; timeUnit: "ms" | "us" | "ns" | null; values: BigInt64Array }
  | { name: string; physical: "INT32"; date: boolean; values: Int32Array }
  | { name: string; physical: "DOUBLE" | "FLOAT"; values: Float64Array }
  | { name: string; physical: "BYTE_ARRAY"; values: string[] };

export interface ParquetTable {
  numRows: number;
  columns: ParquetColumnOut[];
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
  timeUnit: "ms" | "us" | "ns" | null;
  date: boolean;
}

function leafOf(el: ThriftStruct): Leaf {
  const name = text(el.get(4));
  if (el.get(5) !== undefined)
    throw new ParquetFormatError(`column ${name} is a nested group; only flat tables are read`);
  const rep = el.get(3) ?? 0;
  if (rep !== 0)
    throw new ParquetFormatError(
      `column ${name} is ${rep === 1 ? "OPTIONAL (nullable)" : "REPEATED"}; only REQUIRED (non-null) columns are read — write the file with non-nullable columns`,
    );
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
  const date = converted === CONVERTED.DATE || (logical?.has(6) ?? false);
  return { name, type, timeUnit, date };
}

function decodePlain(
  leaf: Leaf,
  bytes: Uint8Array,
  start: number,
  end: number,
  count: number,
  sink: { nums: number[]; bigs: bigint[]; strs: string[] },
): void {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const width =
    leaf.type === T.INT64 || leaf.type === T.DOUBLE ? 8 : leaf.type === T.INT32 || leaf.type === T.FLOAT ? 4 : 0;
  if (width > 0 && start + count * width > end)
    throw new ParquetFormatError(`column ${leaf.name}: page holds fewer bytes than its ${count} values need`);
  let pos = start;
  for (let i = 0; i < count; i++) {
    switch (leaf.type) {
      case T.INT64:
        sink.bigs.push(dv.getBigInt64(pos, true));
        break;
      case T.DOUBLE:
        sink.nums.push(dv.getFloat64(pos, true));
        break;
      case T.INT32:
        sink.nums.push(dv.getInt32(pos, true));
        break;
      case T.FLOAT:
        sink.nums.push(dv.getFloat32(pos, true));
        break;
      case T.BYTE_ARRAY: {
        if (pos + 4 > end) throw new ParquetFormatError(`column ${leaf.name}: truncated string at value ${i}`);
        const n = dv.getUint32(pos, true);
        if (pos + 4 + n > end) throw new ParquetFormatError(`column ${leaf.name}: string ${i} runs past its page`);
        sink.strs.push(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(pos + 4, pos + 4 + n)));
        pos += 4 + n;
        continue;
      }
    }
    pos += width;
  }
}

/** Read a flat Parquet table. @throws ParquetFormatError with the reason. */
export function readParquet(bytes: Uint8Array): ParquetTable {
  try {
    return readParquetUnchecked(bytes);
  } catch (err) {
    if (err instanceof ThriftDecodeError || err instanceof RangeError || err instanceof TypeError)
      throw new ParquetFormatError(`malformed Parquet file: ${err.message}`);
    throw err;
  }
}

function readParquetUnchecked(bytes: Uint8Array): ParquetTable {
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
  const leaves = schema.slice(1).map(leafOf);
  if (num(schema[0].get(5), "root column count") !== leaves.length)
    throw new ParquetFormatError("only flat tables are read (the schema has nested groups)");
  for (const l of leaves) {
    if (![T.INT32, T.INT64, T.FLOAT, T.DOUBLE, T.BYTE_ARRAY].includes(l.type as 1))
      throw new ParquetFormatError(
        `column ${l.name} has type ${TYPE_NAME[l.type] ?? l.type}; only INT32, INT64, FLOAT, DOUBLE and BYTE_ARRAY are read`,
      );
  }
  const numRows = num(meta.get(3), "num_rows");
  const sinks = leaves.map(() => ({ nums: [] as number[], bigs: [] as bigint[], strs: [] as string[] }));
  const groups = meta.get(4) === undefined ? [] : asList(meta.get(4), "row groups");
  for (const [g, rg] of groups.entries()) {
    const chunks = asList(asStruct(rg, `row group ${g}`).get(1), `columns of row group ${g}`);
    if (chunks.length !== leaves.length)
      throw new ParquetFormatError(`row group ${g} has ${chunks.length} column chunks for ${leaves.length} columns`);
    chunks.forEach((c, j) => {
      const leaf = leaves[j];
      const cm = asStruct(asStruct(c, `column chunk ${j}`).get(3), `metadata of column ${leaf.name}`);
      const codec = num(cm.get(4), "codec");
      if (codec !== 0)
        throw new ParquetFormatError(
          `column ${leaf.name} is compressed with ${CODEC_NAME[codec] ?? codec}; only UNCOMPRESSED files are read`,
        );
      const want = num(cm.get(5), "num_values");
      let pos =
        cm.get(11) !== undefined ? num(cm.get(11), "dictionary_page_offset") : num(cm.get(9), "data_page_offset");
      let got = 0;
      while (got < want) {
        if (pos < 4 || pos >= footerStart)
          throw new ParquetFormatError(`column ${leaf.name}: page offset ${pos} is outside the data`);
        const r = new CompactReader(bytes.subarray(0, footerStart), pos);
        const ph = r.struct();
        const pageType = num(ph.get(1), "page type");
        const size = num(ph.get(3), "compressed_page_size");
        const dataStart = r.pos;
        const dataEnd = dataStart + size;
        if (size < 0 || dataEnd > footerStart)
          throw new ParquetFormatError(`column ${leaf.name}: page of ${size} bytes runs past the data`);
        if (pageType === 2)
          throw new ParquetFormatError(`column ${leaf.name} is dictionary-encoded; only PLAIN encoding is read`);
        let n: number;
        let valuesStart = dataStart;
        let encoding: number;
        if (pageType === 0) {
          const dph = asStruct(ph.get(5), "data page header");
          n = num(dph.get(1), "num_values");
          encoding = num(dph.get(2), "encoding");
        } else if (pageType === 3) {
          const dph = asStruct(ph.get(8), "data page v2 header");
          n = num(dph.get(1), "num_values");
          if (num(dph.get(2), "num_nulls") !== 0) throw new ParquetFormatError(`column ${leaf.name} has null values`);
          encoding = num(dph.get(4), "encoding");
          valuesStart +=
            num(dph.get(5), "definition_levels_byte_length") + num(dph.get(6), "repetition_levels_byte_length");
        } else {
          pos = dataEnd;
          continue;
        }
        if (encoding !== PLAIN)
          throw new ParquetFormatError(
            `column ${leaf.name} uses ${ENCODING_NAME[encoding] ?? encoding} encoding; only PLAIN is read`,
          );
        if (n < 0 || got + n > want)
          throw new ParquetFormatError(`column ${leaf.name}: pages hold more values than the chunk's ${want}`);
        decodePlain(leaf, bytes, valuesStart, dataEnd, n, sinks[j]);
        got += n;
        pos = dataEnd;
      }
    });
  }
  const columns = leaves.map((leaf, j): ParquetColumnOut => {
    const s = sinks[j];
    if (leaf.type === T.INT64)
      return { name: leaf.name, physical: "INT64", timeUnit: leaf.timeUnit, values: BigInt64Array.from(s.bigs) };
    if (leaf.type === T.INT32)
      return { name: leaf.name, physical: "INT32", date: leaf.date, values: Int32Array.from(s.nums) };
    if (leaf.type === T.BYTE_ARRAY) return { name: leaf.name, physical: "BYTE_ARRAY", values: s.strs };
    return {
      name: leaf.name,
      physical: leaf.type === T.DOUBLE ? "DOUBLE" : "FLOAT",
      values: Float64Array.from(s.nums),
    };
  });
  for (const c of columns)
    if (c.values.length !== numRows)
      throw new ParquetFormatError(`column ${c.name} has ${c.values.length} values but the file says ${numRows} rows`);
  return { numRows, columns };
}
