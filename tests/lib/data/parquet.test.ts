import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { barsToCsv, barsToParquet, ParquetImportError, parseBarsParquet } from "@/lib/data/bar-files";
import type { BarSeries } from "@/lib/data/bars";
import { parseBarsCsv } from "@/lib/data/csv";
import { ParquetFormatError, readParquet, writeParquet } from "@/lib/data/parquet";
import { CompactReader, encodeStruct } from "@/lib/data/thrift-compact";

const bytesOf = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
function expectSameSeries(a: BarSeries, b: BarSeries) {
  expect(b.symbol).toBe(a.symbol);
  for (const k of ["timestampsMs", "open", "high", "low", "close", "volume"] as const)
    expect(bytesOf(b[k]).equals(bytesOf(a[k])), k).toBe(true);
}

function series(symbol: string, rows: [number, number, number, number, number, number][]): BarSeries {
  const col = (j: number) => Float64Array.from(rows, (r) => r[j]);
  return { symbol, timestampsMs: col(0), open: col(1), high: col(2), low: col(3), close: col(4), volume: col(5) };
}

const DAY = 86_400_000;
const T0 = Date.UTC(2020, 0, 2);
const AWKWARD = series("AWK", [
  [T0, 0.1 + 0.2, 1 / 3 + 1, 0.1, 0.30000000000000004, 0],
  [T0 + DAY, 123456.789, 123456.79, 1e-7, 5e-7, 9_999_999_999_999],
  [T0 + 2 * DAY, Math.PI, Math.E + 1, 2.5e-300, Math.PI, 1234.5],
]);

describe("thrift compact protocol", () => {
  it("encodes field headers, zigzag ints, lists and long field jumps as the spec describes", () => {
    // field 1 i32 -1 → 0x15, zigzag(-1)=1; field 20 (jump > 15) i64 300 → 0x06, zigzag(20)=40=0x28, zigzag(300)=600=0xd8 0x04
    const b = encodeStruct([
      [1, { t: "i32", v: -1 }],
      [20, { t: "i64", v: 300 }],
      [21, { t: "bool", v: false }],
    ]);
    expect([...b]).toEqual([0x15, 0x01, 0x06, 0x28, 0xd8, 0x04, 0x12, 0x00]);
    const back = new CompactReader(b).struct();
    expect(back.get(1)).toBe(-1);
    expect(back.get(20)).toBe(300n);
    expect(back.get(21)).toBe(false);
    // a 20-element list uses the long form 0xF0|type and a varint size
    const long = encodeStruct([
      [1, { t: "list", et: "i32", items: Array.from({ length: 20 }, (_, i) => ({ t: "i32" as const, v: i })) }],
    ]);
    expect([...long.subarray(0, 3)]).toEqual([0x19, 0xf5, 20]);
    expect(new CompactReader(long).struct().get(1)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });
});

describe("parquet writer", () => {
  it("writes the bytes the format spec gives for one DOUBLE column holding 1.5 (hand-encoded)", () => {
    const file = writeParquet([{ name: "x", kind: "double", values: Float64Array.of(1.5) }], { createdBy: "t" });
    const page = [0x15, 0x00, 0x15, 0x10, 0x15, 0x10, 0x2c, 0x15, 0x02, 0x15, 0x00, 0x15, 0x06, 0x15, 0x06, 0x00, 0x00];
    const value = [0, 0, 0, 0, 0, 0, 0xf8, 0x3f];
    const footer = [
      0x15,
      0x02, // version 1
      0x19,
      0x2c, // schema: list of 2 structs
      0x48,
      0x06,
      ...Buffer.from("schema"),
      0x15,
      0x02,
      0x00, // root: name, num_children 1
      0x15,
      0x0a,
      0x25,
      0x00,
      0x18,
      0x01,
      0x78,
      0x00, // x: DOUBLE, REQUIRED, "x"
      0x16,
      0x02, // num_rows 1
      0x19,
      0x1c, // row_groups: list of 1 struct
      0x19,
      0x1c, // columns: list of 1 struct
      0x26,
      0x08, // file_offset 4
      0x1c, // meta_data
      0x15,
      0x0a,
      0x19,
      0x25,
      0x00,
      0x06,
      0x19,
      0x18,
      0x01,
      0x78,
      0x15,
      0x00,
      0x16,
      0x02,
      0x16,
      0x32,
      0x16,
      0x32,
      0x26,
      0x08,
      0x00,
      0x00, // end ColumnChunk
      0x16,
      0x32,
      0x16,
      0x02,
      0x00, // total_byte_size 25, num_rows 1, end RowGroup
      0x28,
      0x01,
      0x74, // created_by "t"
      0x00,
    ];
    const expected = [
      ...Buffer.from("PAR1"),
      ...page,
      ...value,
      ...footer,
      footer.length,
      0,
      0,
      0,
      ...Buffer.from("PAR1"),
    ];
    expect([...file]).toEqual(expected);
    const back = readParquet(file);
    expect(back.numRows).toBe(1);
    expect(back.columns).toEqual([{ name: "x", physical: "DOUBLE", values: Float64Array.of(1.5) }]);
  });

  it("round-trips timestamps, doubles and strings and is deterministic", () => {
    const file = barsToParquet([AWKWARD, series("B", [[T0, 1, 2, 0.5, 1.5, 7]])], { withSymbol: true });
    expect(
      Buffer.from(barsToParquet([AWKWARD, series("B", [[T0, 1, 2, 0.5, 1.5, 7]])], { withSymbol: true })).equals(
        Buffer.from(file),
      ),
    ).toBe(true);
    const t = readParquet(file);
    expect(t.numRows).toBe(4);
    expect(t.columns.map((c) => c.name)).toEqual(["symbol", "timestamp", "open", "high", "low", "close", "volume"]);
    expect(t.columns[0].values).toEqual(["AWK", "AWK", "AWK", "B"]);
    expect(t.columns[1]).toMatchObject({ physical: "INT64", timeUnit: "ms" });
    expectSameSeries(AWKWARD, parseBarsParquet(file, { symbol: "AWK" }).series);
    expect(parseBarsParquet(file, { symbol: "B" }).warnings).toContain("kept the 1 rows of B out of 4");
  });

  it("refuses files it cannot read with the reason, never a misread", () => {
    const good = barsToParquet([AWKWARD]);
    expect(() => readParquet(Buffer.from("not parquet at all"))).toThrow(/must start and end with PAR1/);
    const truncated = Uint8Array.from([...good.subarray(0, good.length - 30), ...good.subarray(good.length - 8)]);
    expect(() => readParquet(truncated)).toThrow(ParquetFormatError);
    // flip the codec of the first column chunk: find "codec 0" inside ColumnMetaData of column "timestamp"
    const compressed = Uint8Array.from(good);
    const at = Buffer.from(compressed).indexOf(Buffer.from([0x18, 0x09, ...Buffer.from("timestamp"), 0x15, 0x00]));
    expect(at).toBeGreaterThan(0);
    compressed[at + 12] = 0x02; // SNAPPY: the plain bytes are not a Snappy block
    expect(() => readParquet(compressed)).toThrow(/column timestamp: corrupt SNAPPY page/);
    compressed[at + 12] = 0x0c; // ZSTD, with no decompressor given
    expect(() => readParquet(compressed)).toThrow(/compressed with ZSTD, which this reader does not support/);
  });
});

describe("bar file import and export", () => {
  it("CSV export → CSV import is exact, daily and intraday", () => {
    expectSameSeries(AWKWARD, parseBarsCsv(barsToCsv([AWKWARD]), { symbol: "AWK" }).series);
    const intraday = series("EURUSD", [
      [Date.UTC(2017, 3, 19, 9, 0, 0, 250), 1.07, 1.071, 1.069, 1.0705, 0],
      [Date.UTC(2017, 3, 19, 10), 1.0705, 1.0706, 1.07, 1.0701, 12],
    ]);
    const csv = barsToCsv([intraday]);
    expect(csv.split("\n")[1]).toBe("2017-04-19T09:00:00.250Z,1.07,1.071,1.069,1.0705,0");
    expectSameSeries(intraday, parseBarsCsv(csv, { symbol: "EURUSD" }).series);
    expect(barsToCsv([AWKWARD], { withSymbol: true }).split("\n").slice(0, 2)).toEqual([
      "Symbol,Date,Open,High,Low,Close,Volume",
      "AWK,2020-01-02,0.30000000000000004,1.3333333333333333,0.1,0.30000000000000004,0",
    ]);
  });

  it("a real file (../shared/data/GOOG.csv) goes CSV → Parquet → CSV → Parquet with identical bytes", () => {
    const goog = parseBarsCsv(readFileSync("../shared/data/GOOG.csv", "utf8"), { symbol: "GOOG" }).series;
    const pq = barsToParquet([goog]);
    const back = parseBarsParquet(pq, { symbol: "GOOG" }).series;
    expectSameSeries(goog, back);
    const again = parseBarsCsv(barsToCsv([back]), { symbol: "GOOG" }).series;
    expect(Buffer.from(barsToParquet([again])).equals(Buffer.from(pq))).toBe(true);
  });

  it("refuses a Parquet file with bad rows all or nothing, listing every row like the CSV rules", () => {
    const bad = series("BAD", [
      [T0, 10, 11, 9, 10.5, 100],
      [T0 + DAY, 10, 9, 11, 10, 100], // high below low
      [T0 + DAY, 10, 11, 9, 10, -5], // duplicate timestamp, negative volume
      [T0 + 3 * DAY, 0, 11, 9, 10, 1], // open not positive
    ]);
    let err: unknown;
    try {
      parseBarsParquet(barsToParquet([bad]), { symbol: "BAD" });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ParquetImportError);
    const problems = (err as ParquetImportError).problems.map((p) => `${p.line}:${p.column}:${p.message}`);
    expect(problems).toEqual([
      "2:high:high 9 is below low 11",
      "3:volume:volume -5 is negative",
      "3:timestamp:duplicate timestamp (same as row 2)",
      "4:open:price 0 is not positive",
      "4:open:open 0 is outside low..high (9..11)",
    ]);
    expect(() =>
      parseBarsParquet(
        writeParquet([
          { name: "timestamp", kind: "timestamp-ms", values: Float64Array.of(T0) },
          { name: "open", kind: "double", values: Float64Array.of(1) },
        ]),
        { symbol: "X" },
      ),
    ).toThrow(/missing required column high.*missing required column low/);
    expect(() => parseBarsParquet(barsToParquet([AWKWARD], { withSymbol: true }), { symbol: "ZZZ" })).toThrow(
      /no rows for ZZZ; the file holds AWK/,
    );
  });

  it("refuses timestamps outside the years 0001–9999 (past what a date can hold) by row, and keeps the last day of 9999", () => {
    const row = (ts: number): [number, number, number, number, number, number] => [ts, 10, 11, 9, 10, 1];
    const far = series("FAR", [row(-9e15), row(Date.parse("0001-01-01T00:00:00Z")), row(8.64e15 + DAY)]);
    let err: unknown;
    try {
      parseBarsParquet(barsToParquet([far]), { symbol: "FAR" });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ParquetImportError);
    expect((err as ParquetImportError).problems.map((p) => `${p.line}:${p.column}`)).toEqual([
      "1:timestamp",
      "3:timestamp",
    ]);
    const edge = series("EDGE", [row(Date.parse("9999-12-31T00:00:00Z"))]);
    expect(parseBarsParquet(barsToParquet([edge]), { symbol: "EDGE" }).series.timestampsMs[0]).toBe(
      Date.parse("9999-12-31T00:00:00Z"),
    );
  });
});
