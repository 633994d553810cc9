/**
 * The Parquet reader against files other programs wrote, and the writer's output read by another
 * program. References: hyparquet-writer / hyparquet (an independent JavaScript implementation of
 * the format) and DuckDB 1.5.6 (the files in tests/fixtures/parquet, made by the SQL in their
 * README — the expected values below are computed from that SQL, not from our reader).
 */
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { parquetReadObjects, parquetMetadata } from "hyparquet";
import { parquetWriteBuffer } from "hyparquet-writer";
import { snappyCompress } from "hyparquet-writer/src/snappy.js";
import { describe, expect, it } from "vitest";
import { barsToParquet, ParquetImportError, parseBarsParquet } from "@/lib/data/bar-files";
import type { BarSeries } from "@/lib/data/bars";
import { decodeRleHybrid, ParquetFormatError, readParquet, type ParquetColumnOut } from "@/lib/data/parquet";
import { snappyDecompress, SnappyError } from "@/lib/data/snappy";
import { PARQUET_DECOMPRESSORS } from "@/server/data/parquet-codecs";

const fixture = (name: string) => new Uint8Array(readFileSync(`tests/fixtures/parquet/${name}`));
const col = (cols: ParquetColumnOut[], name: string) => {
  const c = cols.find((x) => x.name === name);
  if (!c) throw new Error(`no column ${name}`);
  return c;
};
const f64Bytes = (a: ArrayLike<number>) => Buffer.from(Float64Array.from(a).buffer);
const DAY = 86_400_000;
const T2020 = Date.UTC(2020, 0, 1);

describe("snappy", () => {
  it("decodes a hand-encoded block: a literal, an overlapping 1-byte-offset copy and a 2-byte-offset copy", () => {
    // length 20; literal "abcd" (tag (4-1)<<2); copy len 8 offset 4 (tag (8-4)<<2|1, offset byte 4);
    // copy len 8 offset 12 (tag (8-1)<<2|2, offset 12 as two bytes LE)
    const block = Uint8Array.of(20, 0x0c, 0x61, 0x62, 0x63, 0x64, 0x11, 0x04, 0x1e, 0x0c, 0x00);
    expect(new TextDecoder().decode(snappyDecompress(block))).toBe("abcdabcdabcdabcdabcd");
    // a literal whose length-1 (63) sits in the byte after tag 60<<2
    const long = Uint8Array.of(64, 0xf0, 63, ...Array.from({ length: 64 }, (_, i) => i));
    expect([...snappyDecompress(long)]).toEqual(Array.from({ length: 64 }, (_, i) => i));
  });

  it("inverts an independent compressor on text, random and repetitive data", () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % 256);
    const inputs = [
      new TextEncoder().encode("the quick brown fox jumps over the lazy dog ".repeat(400)),
      Uint8Array.from({ length: 100_000 }, rand),
      Uint8Array.from({ length: 70_000 }, (_, i) => (i % 3 === 0 ? rand() : i % 251)),
      new Uint8Array(200_000),
      new Uint8Array(0),
    ];
    for (const input of inputs) {
      const packed = snappyCompress(input);
      expect(Buffer.from(snappyDecompress(packed, input.length)).equals(Buffer.from(input))).toBe(true);
    }
  });

  it("refuses corrupt blocks instead of returning garbage", () => {
    expect(() => snappyDecompress(Uint8Array.of(8, 0x11, 0x04))).toThrow(SnappyError); // copy before any output
    expect(() => snappyDecompress(Uint8Array.of(10, 0x0c, 0x61, 0x62))).toThrow(/literal runs past the input/);
    expect(() => snappyDecompress(Uint8Array.of(5, 0x0c, 0x61, 0x62, 0x63, 0x64))).toThrow(
      /block holds 4 bytes, its header says 5/,
    );
    expect(() => snappyDecompress(Uint8Array.of(4, 0x0c, 0x61, 0x62, 0x63, 0x64), 5)).toThrow(/page header says 5/);
  });
});

describe("RLE / bit-packed hybrid", () => {
  it("decodes the format spec's bit-packing example and an RLE run", () => {
    // spec (Encodings.md): values 0..7 with bit width 3 pack to 10001000 11000110 11111010
    const packed = Uint8Array.of(0x03, 0b10001000, 0b11000110, 0b11111010);
    expect([...decodeRleHybrid(packed, 0, packed.length, 3, 8, "t")]).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // RLE: header 5<<1 = 10, value 300 in two bytes (bit width 9); then bit-packed group of one
    const mixed = Uint8Array.of(10, 0x2c, 0x01, 0x03, 0xff, 0x01, 0, 0, 0, 0, 0, 0, 0);
    expect([...decodeRleHybrid(mixed, 0, mixed.length, 9, 6, "t")]).toEqual([300, 300, 300, 300, 300, 511]);
    expect(() => decodeRleHybrid(Uint8Array.of(0x03, 1), 0, 2, 3, 8, "levels")).toThrow(/levels: truncated/);
  });
});

describe("files written by hyparquet-writer (data page v2, snappy, dictionary, nullable)", () => {
  const n = 5000;
  const symbols = Array.from({ length: n }, (_, i) => ["SPY", "QQQ", "IWM"][i % 3]);
  const opens = Array.from({ length: n }, (_, i) => (i % 17 === 0 ? null : 100 + Math.sin(i) * 10));
  const ints = Array.from({ length: n }, (_, i) => (i % 5 === 0 ? null : (i * 7919) % 1000));
  const vols = Array.from({ length: n }, (_, i) => BigInt(i) * 1_000_003n);
  const stamps = Array.from({ length: n }, (_, i) => new Date(T2020 + i * 60_000));
  const floats = Array.from({ length: n }, (_, i) => Math.fround(i / 3));

  it("reads every value back, across pages and row groups, with nulls where they were", () => {
    const buf = parquetWriteBuffer({
      columnData: [
        { name: "symbol", data: symbols, type: "STRING", nullable: false },
        { name: "timestamp", data: stamps, type: "TIMESTAMP", nullable: false },
        { name: "open", data: opens, type: "DOUBLE" },
        { name: "n", data: ints, type: "INT32" },
        { name: "volume", data: vols, type: "INT64", nullable: false },
        { name: "f", data: floats, type: "FLOAT", nullable: false },
      ],
      rowGroupSize: 2048,
      pageSize: 4096,
    });
    const bytes = new Uint8Array(buf);
    const meta = parquetMetadata(buf);
    expect(meta.row_groups.length).toBe(3);
    expect(meta.row_groups[0].columns[0].meta_data?.codec).toBe("SNAPPY");
    expect(meta.row_groups[0].columns[0].meta_data?.encodings).toContain("RLE_DICTIONARY");
    const t = readParquet(bytes);
    expect(t.numRows).toBe(n);
    expect(col(t.columns, "symbol").values).toEqual(symbols);
    const ts = col(t.columns, "timestamp");
    expect(ts).toMatchObject({ physical: "INT64", timeUnit: "ms" });
    expect([...(ts.values as BigInt64Array)]).toEqual(stamps.map((d) => BigInt(d.getTime())));
    const open = col(t.columns, "open");
    expect([...(open.nulls ?? [])]).toEqual(opens.flatMap((v, i) => (v === null ? [i] : [])));
    const nonNull = (a: ArrayLike<number>, nulls: ArrayLike<number> = []) => {
      const skip = new Set(Array.from(nulls));
      return Array.from(a).filter((_, i) => !skip.has(i));
    };
    expect(f64Bytes(nonNull(open.values as Float64Array, open.nulls))).toEqual(
      f64Bytes(opens.filter((v) => v !== null)),
    );
    const nCol = col(t.columns, "n");
    expect(nonNull(nCol.values as Int32Array, nCol.nulls)).toEqual(ints.filter((v) => v !== null));
    expect(nCol.nulls?.length).toBe(n / 5);
    expect([...(col(t.columns, "volume").values as BigInt64Array)]).toEqual(vols);
    expect(f64Bytes(col(t.columns, "f").values as Float64Array)).toEqual(f64Bytes(floats));
  });

  it("reads GZIP (given a decompressor), BYTE_STREAM_SPLIT and DELTA_BINARY_PACKED pages", () => {
    const buf = parquetWriteBuffer({
      columnData: [
        { name: "a", data: opens, type: "DOUBLE", encoding: "BYTE_STREAM_SPLIT", codec: "GZIP" },
        { name: "b", data: vols, type: "INT64", nullable: false, encoding: "DELTA_BINARY_PACKED" },
        { name: "c", data: ints, type: "INT32", encoding: "DELTA_BINARY_PACKED" },
      ],
      compressors: { GZIP: (input: Uint8Array) => new Uint8Array(gzipSync(input)) },
      pageSize: 8192,
    });
    const bytes = new Uint8Array(buf);
    expect(() => readParquet(bytes)).toThrow(
      /column a is compressed with GZIP, which this reader does not support; write the file with UNCOMPRESSED, SNAPPY/,
    );
    const t = readParquet(bytes, { decompressors: PARQUET_DECOMPRESSORS });
    const a = col(t.columns, "a");
    expect(a.nulls?.length).toBe(opens.filter((v) => v === null).length);
    expect(f64Bytes(Array.from(a.values as Float64Array).filter((_, i) => opens[i] !== null))).toEqual(
      f64Bytes(opens.filter((v) => v !== null)),
    );
    expect([...(col(t.columns, "b").values as BigInt64Array)]).toEqual(vols);
    const c = col(t.columns, "c");
    expect(Array.from(c.values as Int32Array).filter((_, i) => ints[i] !== null)).toEqual(
      ints.filter((v) => v !== null),
    );
  });

  it("reads DELTA_LENGTH_BYTE_ARRAY and DELTA_BYTE_ARRAY strings (shared prefixes, nulls, non-ASCII)", () => {
    const words = Array.from({ length: 700 }, (_, i) =>
      i % 11 === 0 ? null : `${["AAPL", "AAPL.B", "AAL", "ÆON", "日経"][i % 5]}-${Math.floor(i / 3)}`,
    );
    const buf = parquetWriteBuffer({
      columnData: [
        { name: "a", data: words, type: "STRING", encoding: "DELTA_LENGTH_BYTE_ARRAY" },
        { name: "b", data: words, type: "STRING", encoding: "DELTA_BYTE_ARRAY" },
      ],
      pageSize: 2048,
    });
    const encodings = parquetMetadata(buf).row_groups[0].columns.map((c) => c.meta_data?.encodings);
    expect(encodings[0]).toContain("DELTA_LENGTH_BYTE_ARRAY");
    expect(encodings[1]).toContain("DELTA_BYTE_ARRAY");
    const t = readParquet(new Uint8Array(buf));
    for (const name of ["a", "b"]) {
      const c = col(t.columns, name);
      expect([...(c.nulls ?? [])]).toEqual(words.flatMap((w, i) => (w === null ? [i] : [])));
      expect((c.values as string[]).map((v, i) => (words[i] === null ? null : v))).toEqual(words);
    }
  });

  it("reads only the columns asked for: an unreadable extra column (BOOLEAN, REPEATED) is skipped, not fatal", () => {
    const rows = 20;
    const closes = Array.from({ length: rows }, (_, i) => 10 + i);
    const buf = parquetWriteBuffer({
      columnData: [
        { name: "date", data: Array.from({ length: rows }, (_, i) => new Date(T2020 + i * DAY)), type: "TIMESTAMP" },
        { name: "open", data: closes, type: "DOUBLE" },
        { name: "high", data: closes.map((c) => c + 1), type: "DOUBLE" },
        { name: "low", data: closes.map((c) => c - 1), type: "DOUBLE" },
        { name: "close", data: closes, type: "DOUBLE" },
        { name: "halted", data: Array.from({ length: rows }, (_, i) => i % 2 === 0), type: "BOOLEAN" },
      ],
    });
    const bytes = new Uint8Array(buf);
    expect(() => readParquet(bytes)).toThrow(/column halted has type BOOLEAN/);
    const some = readParquet(bytes, { columns: (n) => n !== "halted" });
    expect(some.skipped).toEqual(["halted"]);
    expect(some.columns.map((c) => c.name)).toEqual(["date", "open", "high", "low", "close"]);
    const { series, warnings } = parseBarsParquet(bytes, { symbol: "H" });
    expect([...series.close]).toEqual(closes);
    expect(warnings).toEqual(["no volume column: volume set to 0", "ignored column(s): halted"]);
  });

  it("imports a pandas-shaped bar file (nullable float columns without nulls, dictionary symbol, snappy)", () => {
    const rows = 300;
    const close = Array.from({ length: rows }, (_, i) => 50 + Math.cos(i / 7) * 5);
    const buf = parquetWriteBuffer({
      columnData: [
        { name: "Date", data: Array.from({ length: rows }, (_, i) => new Date(T2020 + i * DAY)), type: "TIMESTAMP" },
        { name: "Open", data: close.map((c) => c - 0.5), type: "DOUBLE" },
        { name: "High", data: close.map((c) => c + 1), type: "DOUBLE" },
        { name: "Low", data: close.map((c) => c - 1), type: "DOUBLE" },
        { name: "Close", data: close, type: "DOUBLE" },
        { name: "Volume", data: Array.from({ length: rows }, (_, i) => BigInt(i * 100)), type: "INT64" },
        { name: "Symbol", data: Array.from({ length: rows }, () => "ABC"), type: "STRING" },
      ],
    });
    const { series } = parseBarsParquet(new Uint8Array(buf), { symbol: "ABC" });
    expect(f64Bytes(series.close)).toEqual(f64Bytes(close));
    expect(series.timestampsMs[299]).toBe(T2020 + 299 * DAY);
    expect(series.volume[10]).toBe(1000);
  });
});

describe("files written by DuckDB 1.5.6 (tests/fixtures/parquet)", () => {
  // SELECT … FROM range(0, 600) t(i): symbol AAA/BBB alternating, timestamp 2020-01-01 + i days
  // (TIMESTAMP = INT64 micros), open/high/low/close = 100/101/99/100.5 + i * 0.25 (DECIMAL),
  // volume i * 1000 (BIGINT), note NULL when i % 3 = 0 else 'n' || (i % 5).
  const i600 = Array.from({ length: 600 }, (_, i) => i);
  function expectBars(cols: ParquetColumnOut[]) {
    expect(col(cols, "symbol").values).toEqual(i600.map((i) => (i % 2 === 0 ? "AAA" : "BBB")));
    const ts = col(cols, "timestamp");
    expect(ts).toMatchObject({ physical: "INT64", timeUnit: "us" });
    expect([...(ts.values as BigInt64Array)]).toEqual(i600.map((i) => BigInt(T2020 + i * DAY) * 1000n));
    for (const [name, base] of [
      ["open", 100],
      ["high", 101],
      ["low", 99],
      ["close", 100.5],
    ] as const)
      expect(f64Bytes(col(cols, name).values as Float64Array), name).toEqual(
        f64Bytes(i600.map((i) => base + i * 0.25)),
      );
    expect([...(col(cols, "volume").values as BigInt64Array)]).toEqual(i600.map((i) => BigInt(i * 1000)));
    const note = col(cols, "note");
    expect([...(note.nulls ?? [])]).toEqual(i600.filter((i) => i % 3 === 0));
    expect((note.values as string[]).filter((_, i) => i % 3 !== 0)).toEqual(
      i600.filter((i) => i % 3 !== 0).map((i) => `n${i % 5}`),
    );
  }

  it("snappy, data page v1, dictionary strings and integers, DECIMAL prices, a nullable column", () => {
    const bytes = fixture("bars-snappy-v1.parquet");
    const meta = parquetMetadata(bytes.buffer).row_groups[0].columns.map((c) => c.meta_data);
    expect(meta.map((m) => m?.codec)).toEqual(Array(8).fill("SNAPPY"));
    expect(meta[0]?.encodings).toContain("PLAIN_DICTIONARY");
    expectBars(readParquet(bytes).columns);
  });

  it("gzip with data page v2 and DELTA_BINARY_PACKED integers; zstd", () => {
    expectBars(readParquet(fixture("bars-gzip-v2.parquet"), { decompressors: PARQUET_DECOMPRESSORS }).columns);
    expect(() => readParquet(fixture("bars-zstd.parquet"))).toThrow(
      /compressed with ZSTD, which this reader does not support/,
    );
    if (PARQUET_DECOMPRESSORS.ZSTD)
      expectBars(readParquet(fixture("bars-zstd.parquet"), { decompressors: PARQUET_DECOMPRESSORS }).columns);
  });

  it("DATE, TIMESTAMP_NS, TIMESTAMP_MS, INTEGER and FLOAT columns", () => {
    const cols = readParquet(fixture("bars-date-ns.parquet")).columns;
    const i50 = Array.from({ length: 50 }, (_, i) => i);
    expect(col(cols, "date")).toMatchObject({ physical: "INT32", date: true });
    expect([...(col(cols, "date").values as Int32Array)]).toEqual(i50.map((i) => Date.UTC(2021, 2, 1) / DAY + i));
    expect(col(cols, "ts_ns")).toMatchObject({ timeUnit: "ns" });
    expect([...(col(cols, "ts_ns").values as BigInt64Array)]).toEqual(
      i50.map((i) => (BigInt(Date.UTC(2021, 2, 1, 9, 30)) * 1000n + 123_456n + BigInt(i) * 1_000_001n) * 1000n),
    );
    expect(col(cols, "ts_ms")).toMatchObject({ timeUnit: "ms" });
    expect([...(col(cols, "ts_ms").values as BigInt64Array)]).toEqual(
      i50.map((i) => BigInt(Date.UTC(2021, 2, 1) + i * DAY)),
    );
    expect([...(col(cols, "n32").values as Int32Array)]).toEqual(i50);
    expect([...(col(cols, "f32").values as Float64Array)]).toEqual(i50.map((i) => Math.fround(Math.fround(i) / 4)));
  });

  it("imports DuckDB's double-valued bar file exactly (sqrt prices, mixed-case names, INTEGER volume, extra nullable column)", () => {
    const { series, warnings } = parseBarsParquet(fixture("bars-double-snappy.parquet"), { symbol: "SQ" });
    const i300 = Array.from({ length: 300 }, (_, i) => i);
    expect(f64Bytes(series.open)).toEqual(f64Bytes(i300.map((i) => Math.sqrt(i + 2))));
    expect(f64Bytes(series.high)).toEqual(f64Bytes(i300.map((i) => Math.sqrt(i + 3))));
    expect(f64Bytes(series.low)).toEqual(f64Bytes(i300.map((i) => Math.sqrt(i + 1))));
    expect(f64Bytes(series.close)).toEqual(f64Bytes(i300.map((i) => Math.sqrt(i + 2.5))));
    expect([...series.volume]).toEqual(i300.map((i) => i * 7));
    expect([...series.timestampsMs]).toEqual(i300.map((i) => T2020 + i * DAY));
    expect(warnings).toContain("ignored column(s): adj");
    // the same values as hyparquet reads them
    const ref = parquetReadObjects({ file: fixture("bars-double-snappy.parquet").buffer });
    return ref.then((rows) => expect(f64Bytes(series.close)).toEqual(f64Bytes(rows.map((r) => r.Close as number))));
  });

  it("refuses a file with a null close, naming the row and column, all or nothing", () => {
    let err: unknown;
    try {
      parseBarsParquet(fixture("bars-null-close.parquet"), { symbol: "N" });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ParquetImportError);
    expect((err as ParquetImportError).problems).toEqual([
      { line: 7, column: "close", message: "close is null (missing)" },
    ]);
    expect((err as Error).message).toMatch(/row 7, column close: close is null/);
  });
});

describe("files written by polars (nodejs-polars 0.25.2, tests/fixtures/parquet)", () => {
  // 500 rows k: symbol SPY/QQQ/IWM by k % 3, timestamp 2021-01-04 + k days, open/high/low/close
  // sqrt(k + 2 / 3 / 1 / 2.5), volume k * 100 (Float64), note null when k % 4 = 0; every column OPTIONAL.
  it.each(["polars-snappy.parquet", "polars-us-gzip.parquet"])("%s imports one symbol's rows exactly", (file) => {
    const { series, warnings } = parseBarsParquet(fixture(file), {
      symbol: "QQQ",
      decompressors: PARQUET_DECOMPRESSORS,
    });
    const ks = Array.from({ length: 500 }, (_, k) => k).filter((k) => k % 3 === 1);
    expect([...series.timestampsMs]).toEqual(ks.map((k) => Date.UTC(2021, 0, 4) + k * DAY));
    expect(f64Bytes(series.open)).toEqual(f64Bytes(ks.map((k) => Math.sqrt(k + 2))));
    expect(f64Bytes(series.close)).toEqual(f64Bytes(ks.map((k) => Math.sqrt(k + 2.5))));
    expect([...series.volume]).toEqual(ks.map((k) => k * 100));
    expect(warnings).toEqual(["ignored column(s): note", "kept the 167 rows of QQQ out of 500"]);
  });
});

describe("our writer's output read by hyparquet", () => {
  it("gives the same timestamps, doubles and symbols bit for bit", async () => {
    const mk = (symbol: string, k: number): BarSeries => {
      const n = 400;
      const c = Float64Array.from({ length: n }, (_, i) => 10 + Math.sin(i * k) + i / 3);
      return {
        symbol,
        timestampsMs: Float64Array.from({ length: n }, (_, i) => Date.UTC(2015, 0, 2) + i * DAY + k),
        open: c.map((x) => x * 0.999),
        high: c.map((x) => x * 1.01),
        low: c.map((x) => x * 0.98),
        close: c,
        volume: Float64Array.from({ length: n }, (_, i) => i * 12345.5),
      };
    };
    const series = [mk("AAPL", 1), mk("MSFT", 2)];
    const file = barsToParquet(series, { withSymbol: true });
    const rows = await parquetReadObjects({
      file: Uint8Array.from(file).buffer,
      parsers: { timestampFromMilliseconds: (ms: bigint) => ms },
    });
    expect(rows.length).toBe(800);
    const all = (k: keyof BarSeries) => series.flatMap((s) => Array.from(s[k] as Float64Array));
    expect(rows.map((r) => r.symbol)).toEqual(series.flatMap((s) => Array<string>(400).fill(s.symbol)));
    expect(rows.map((r) => r.timestamp)).toEqual(all("timestampsMs").map((t) => BigInt(t)));
    for (const k of ["open", "high", "low", "close", "volume"] as const)
      expect(f64Bytes(rows.map((r) => r[k] as number)), k).toEqual(f64Bytes(all(k)));
  });
});

describe("refusals name what is unsupported", () => {
  it("an unknown codec, a repeated column", () => {
    const good = barsToParquet([
      {
        symbol: "X",
        timestampsMs: Float64Array.of(T2020),
        open: Float64Array.of(1),
        high: Float64Array.of(1),
        low: Float64Array.of(1),
        close: Float64Array.of(1),
        volume: Float64Array.of(1),
      },
    ]);
    const lz4 = Uint8Array.from(good);
    const at = Buffer.from(lz4).indexOf(Buffer.from([0x18, 0x09, ...Buffer.from("timestamp"), 0x15, 0x00]));
    lz4[at + 12] = 0x0a; // codec 5 = LZ4 (zigzag 10)
    expect(() => readParquet(lz4)).toThrow(
      /column timestamp is compressed with LZ4, which this reader does not support/,
    );
    // schema element of "open": DOUBLE (0x15 0x0a), repetition REQUIRED (0x25 0x00) → REPEATED (zigzag 2)
    const repeated = Uint8Array.from(good);
    const el = Buffer.from(repeated).indexOf(Buffer.from([0x15, 0x0a, 0x25, 0x00, 0x18, 0x04, ...Buffer.from("open")]));
    expect(el).toBeGreaterThan(0);
    repeated[el + 3] = 0x04;
    expect(() => readParquet(repeated)).toThrow(ParquetFormatError);
    expect(() => readParquet(repeated)).toThrow(/column open is REPEATED/);
  });
});
