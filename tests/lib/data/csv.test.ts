import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CsvImportError, parseBarsCsv, type CsvProblem } from "@/lib/data/csv";
import { validateBars } from "@/lib/data/validate";

const DATA = "../shared/data";
// Row counts and first/last dates from ../shared/data/README.md.
const FILES: [string, number, string, string][] = [
  ["GOOG.csv", 2148, "2004-08-19", "2013-03-01"],
  ["EURUSD.csv", 5000, "2017-04-19T09:00:00", "2018-02-07T15:00:00"],
  ["BTCUSD.csv", 156, "2012-01-31", "2024-12-31"],
  ["nvda-1999-2014.csv", 4012, "1999-01-22", "2014-12-31"],
  ["orcl-1995-2014.csv", 5036, "1995-01-03", "2014-12-31"],
  ["yhoo-1996-2014.csv", 4713, "1996-04-12", "2014-12-31"],
  ["yhoo-1996-2015.csv", 4965, "1996-04-12", "2015-12-31"],
  ["backtrader-2005-2006-day-001.csv", 512, "2005-01-03", "2006-12-29"],
  ["backtrader-2006-volume-day-001.csv", 255, "2006-01-02", "2006-12-29"],
];

function problemsOf(text: string, opts = { symbol: "X" }): CsvProblem[] {
  try {
    parseBarsCsv(text, opts);
  } catch (err) {
    if (err instanceof CsvImportError) return err.problems;
    throw err;
  }
  throw new Error("expected CsvImportError");
}

const HEADER = "Date,Open,High,Low,Close,Volume";
const rejects = (text: string) => ({ problems: problemsOf(text) });

describe("parseBarsCsv on the shared real files", () => {
  it.each(FILES)("%s parses with the README's row count and dates", (file, rows, first, last) => {
    const { series } = parseBarsCsv(readFileSync(path.join(DATA, file), "utf8"), { symbol: file });
    expect(series.close.length).toBe(rows);
    expect(new Date(series.timestampsMs[0]).toISOString()).toBe(
      new Date(`${first}Z`.replace(/(\d{2}-\d{2})Z$/, "$1T00:00:00Z")).toISOString(),
    );
    expect(new Date(series.timestampsMs[rows - 1]).toISOString().slice(0, 19)).toBe(
      last.length === 10 ? `${last}T00:00:00` : last,
    );
    expect(() => validateBars(series)).not.toThrow();
  });

  it("reads GOOG's first close as 100.34 (README) and keeps raw, not adjusted, prices", () => {
    const { series, warnings } = parseBarsCsv(readFileSync(path.join(DATA, "GOOG.csv"), "utf8"), { symbol: "GOOG" });
    expect(series.close[0]).toBe(100.34);
    expect(warnings).toEqual([]);
  });

  it("keeps raw Close (not Adj Close) and Volume from Yahoo-style files", () => {
    const text = readFileSync(path.join(DATA, "nvda-1999-2014.csv"), "utf8");
    const line2 = text.split("\n")[1].split(",");
    const { series } = parseBarsCsv(text, { symbol: "NVDA" });
    expect(series.close[0]).toBe(Number(line2[4]));
    expect(series.volume[0]).toBe(Number(line2[5]));
  });
});

describe("parseBarsCsv formats", () => {
  it("tolerates BOM, CRLF, lower-case headers, reordered and extra columns", () => {
    const text =
      "\uFEFFvolume,close,low,high,open,timestamp,note\r\n100,10.5,9,11,10,2024-01-02,a\r\n200,11,10,12,10.5,2024-01-03,b\r\n";
    const { series, warnings } = parseBarsCsv(text, { symbol: "A" });
    expect(Array.from(series.close)).toEqual([10.5, 11]);
    expect(Array.from(series.volume)).toEqual([100, 200]);
    expect(series.timestampsMs[0]).toBe(Date.UTC(2024, 0, 2));
    expect(warnings.join()).toContain("note");
  });

  it("reads naive intraday times in the given IANA zone and explicit offsets as given", () => {
    const text = `${HEADER}\n2024-07-01 09:30,10,11,9,10,1\n2024-07-01 14:00:00Z,10,11,9,10,1\n2024-07-01T11:00:00-04:00,10,11,9,10,1\n`;
    const { series } = parseBarsCsv(text, { symbol: "A", timezone: "America/New_York" });
    // New York is UTC-4 in July (EDT), so 09:30 local is 13:30 UTC.
    expect(Array.from(series.timestampsMs)).toEqual([
      Date.UTC(2024, 6, 1, 13, 30),
      Date.UTC(2024, 6, 1, 14),
      Date.UTC(2024, 6, 1, 15),
    ]);
    // Without a zone the naive 09:30 is UTC, so 09:30Z < 14:00Z still holds.
    expect(parseBarsCsv(text, { symbol: "A" }).series.timestampsMs[0]).toBe(Date.UTC(2024, 6, 1, 9, 30));
  });

  it("uses winter offsets in winter (EST = UTC-5)", () => {
    const { series } = parseBarsCsv(`${HEADER}\n2024-01-15 09:30,10,11,9,10,1\n`, {
      symbol: "A",
      timezone: "America/New_York",
    });
    expect(series.timestampsMs[0]).toBe(Date.UTC(2024, 0, 15, 14, 30));
  });

  it("a file of garbage lists the first 1,000 problems and says it stopped; long cells are cut, not echoed whole", () => {
    const problems = problemsOf(`${HEADER}\n${"x\n".repeat(50_000)}`);
    expect(problems).toHaveLength(1001);
    expect(problems[999]).toEqual({ line: 1001, message: "expected at least 6 columns, found 1" });
    expect(problems[1000]).toEqual({
      line: 1002,
      message: "stopped reading after 1000 problems; fix these and import again",
    });
    const [long] = problemsOf(`${HEADER}\n2024-01-02,${"7".repeat(400)}x,11,9,10,1\n`);
    expect(long.message).toBe(`not a number: "${"7".repeat(80)}…"`);
    const [date] = problemsOf(`${HEADER}\n${"d".repeat(5000)},10,11,9,10,1\n`);
    expect(date.message.length).toBeLessThan(200);
  });

  it("reads years 0001–0099 as written, not as 1901–1999", () => {
    const s = parseBarsCsv(`${HEADER}\n0050-01-02,10,11,9,10,1\n0099-12-31 10:30,10,11,9,10,1\n`, { symbol: "A" });
    expect(Array.from(s.series.timestampsMs)).toEqual([
      Date.parse("0050-01-02T00:00:00Z"),
      Date.parse("0099-12-31T10:30:00Z"),
    ]);
    expect(problemsOf(`${HEADER}\n0051-02-29,10,11,9,10,1\n`)[0].message).toMatch(/not a valid calendar date/);
  });

  it("accepts Unix seconds, and Unix milliseconds", () => {
    const s = parseBarsCsv(`${HEADER}\n1704153600,10,11,9,10,1\n1704240000,10,11,9,10,1\n`, { symbol: "A" }).series;
    const ms = parseBarsCsv(`${HEADER}\n1704153600000,10,11,9,10,1\n1704240000000,10,11,9,10,1\n`, {
      symbol: "A",
    }).series;
    expect(Array.from(s.timestampsMs)).toEqual([Date.UTC(2024, 0, 2), Date.UTC(2024, 0, 3)]);
    expect(Array.from(ms.timestampsMs)).toEqual(Array.from(s.timestampsMs));
  });

  it("refuses Unix times that mix seconds and milliseconds, naming the line", () => {
    const text = `${HEADER}\n1704205800,10,11,9,10,1\n1704205860000,10,11,9,10,1\n1704205920,10,11,9,10,1\n`;
    const err = rejects(text);
    expect(err.problems).toEqual([
      {
        line: 3,
        column: "Date",
        message: "Unix time in milliseconds, but line 2 is in seconds; use one unit for the whole column",
      },
    ]);
  });

  it("refuses a file without a header unless told there is none, then reads Date,Open,High,Low,Close,Volume", () => {
    const text = "2024-01-02,10,11,9,10.5,5\n2024-01-03,10.5,12,10,11,6\n";
    const err = rejects(text);
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0].line).toBe(1);
    expect(err.problems[0].message).toMatch(/no header row: the first line is data.*no-header option/);
    const { series, warnings } = parseBarsCsv(text, { symbol: "A", noHeader: true });
    expect(Array.from(series.close)).toEqual([10.5, 11]);
    expect(Array.from(series.volume)).toEqual([5, 6]);
    expect(warnings[0]).toMatch(/no header row \(as requested\): columns read as Date,Open,High,Low,Close,Volume/);
  });

  it("refuses a header that names a column twice, naming it", () => {
    const err = rejects("Date,Open,High,Low,Close,Close,Volume\n2024-01-02,10,11,9,10.5,10.4,5\n");
    expect(err.problems).toEqual([
      {
        line: 1,
        column: "Close",
        message: expect.stringMatching(/^column Close \(column 6\) names the same field as column 5 \(Close\)/),
      },
    ]);
    const alias = rejects("Date,Timestamp,Open,High,Low,Close\n2024-01-02,2024-01-02,10,11,9,10.5\n");
    expect(alias.problems[0]).toMatchObject({ line: 1, column: "Timestamp" });
  });

  it("sets volume to 0 with a warning when there is no Volume column", () => {
    const { series, warnings } = parseBarsCsv("Date,Open,High,Low,Close\n2024-01-02,10,11,9,10.5\n", { symbol: "A" });
    expect(series.volume[0]).toBe(0);
    expect(warnings.join()).toMatch(/Volume/);
  });
});

describe("parseBarsCsv rejects broken files with every problem by line", () => {
  const cases: [string, string, number, RegExp][] = [
    ["empty file", "", 1, /empty/],
    ["header only", `${HEADER}\n`, 2, /no data rows/],
    ["missing column", "Date,Open,High,Close,Volume\n2024-01-02,1,2,1.5,3\n", 1, /missing required column Low/],
    ["unparsable number", `${HEADER}\n2024-01-02,1,2,abc,1.5,3\n`, 2, /not a number/],
    ["NaN", `${HEADER}\n2024-01-02,NaN,2,1,1.5,3\n`, 2, /non-finite/],
    ["Infinity", `${HEADER}\n2024-01-02,1,Infinity,1,1.5,3\n`, 2, /non-finite/],
    [
      "Yahoo null row",
      "Date,Open,High,Low,Close,Adj Close,Volume\n2024-01-02,null,null,null,null,null,null\n",
      2,
      /missing/,
    ],
    ["non-positive price", `${HEADER}\n2024-01-02,0,2,1,1.5,3\n`, 2, /not positive/],
    ["high below low", `${HEADER}\n2024-01-02,1.5,1,2,1.5,3\n`, 2, /high 1 is below low 2/],
    ["open outside range", `${HEADER}\n2024-01-02,5,2,1,1.5,3\n`, 2, /open 5 is outside/],
    ["close outside range", `${HEADER}\n2024-01-02,1.5,2,1,0.5,3\n`, 2, /close 0.5 is outside/],
    [
      "duplicate timestamp",
      `${HEADER}\n2024-01-02,1,2,1,1.5,3\n2024-01-02,1,2,1,1.5,3\n`,
      3,
      /duplicate timestamp \(same as line 2\)/,
    ],
    ["unsorted timestamps", `${HEADER}\n2024-01-03,1,2,1,1.5,3\n2024-01-02,1,2,1,1.5,3\n`, 3, /earlier than line 2/],
    ["negative volume", `${HEADER}\n2024-01-02,1,2,1,1.5,-3\n`, 2, /negative/],
    ["absurd volume", `${HEADER}\n2024-01-02,1,2,1,1.5,5e14\n`, 2, /implausibly large/],
    ["bad date", `${HEADER}\n2024-02-30,1,2,1,1.5,3\n`, 2, /not a valid calendar date/],
    ["short row", `${HEADER}\n2024-01-02,1,2\n`, 2, /expected at least 6 columns/],
  ];
  it.each(cases)("%s", (_kind, text, line, message) => {
    const problems = problemsOf(text);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0].line).toBe(line);
    expect(problems[0].message).toMatch(message);
  });

  it("reports every bad line of a file with many problems, in line order", () => {
    const rows = [
      HEADER,
      "2024-01-01,10,11,9,10,100", // 2 ok
      "2024-01-02,10,11,9,x,100", // 3 bad number
      "2024-01-03,10,11,9,10,100", // 4 ok
      "2024-01-03,10,11,9,10,100", // 5 duplicate
      "2024-01-05,-1,11,9,10,100", // 6 non-positive + open outside range
      "2024-01-06,10,8,9,10,100", // 7 high < low
      "2024-01-04,10,11,9,10,100", // 8 unsorted
      "2024-01-09,10,11,9,10,-5", // 9 negative volume
      "2024-01-10,10,11,9,10,100", // 10 ok
      "2024-01-11,Inf,11,9,10,100", // 11 non-finite
    ];
    const problems = problemsOf(`${rows.join("\r\n")}\r\n`);
    expect([...new Set(problems.map((p) => p.line))]).toEqual([3, 5, 6, 7, 8, 9, 11]);
    const lines = problems.map((p) => p.line);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
  });

  it("rejects an unknown time zone", () => {
    expect(
      problemsOf(`${HEADER}\n2024-01-02,1,2,1,1.5,3\n`, { symbol: "A", timezone: "Mars/Olympus" } as never)[0].message,
    ).toMatch(/time zone/);
  });
});
