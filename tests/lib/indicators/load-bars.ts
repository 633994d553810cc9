import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** OHLCV columns of one CSV file from ../shared/data, as Float64Arrays. */
export interface CsvBars {
  dates: string[];
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

/** Folder of the shared real-data CSVs (../shared/data beside the repository). */
export const SHARED_DIR = fileURLToPath(new URL("../../../../shared/", import.meta.url));

/** Parses `Date,Open,High,Low,Close,Volume[,...]` files of ../shared/data. */
export function loadBars(file: string): CsvBars {
  const lines = readFileSync(`${SHARED_DIR}data/${file}`, "utf8").trim().split("\n").slice(1);
  const n = lines.length;
  const bars: CsvBars = {
    dates: [],
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  };
  lines.forEach((line, i) => {
    const [date, o, h, l, c, v] = line.split(",");
    bars.dates.push(date);
    bars.open[i] = Number(o);
    bars.high[i] = Number(h);
    bars.low[i] = Number(l);
    bars.close[i] = Number(c);
    bars.volume[i] = Number(v);
  });
  return bars;
}
