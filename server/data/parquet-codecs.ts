import "server-only";
/**
 * Decompressors for the Parquet codecs lib/ does not implement itself (lib/data/parquet.ts has
 * SNAPPY built in and imports no platform module): GZIP, BROTLI and ZSTD from Node's zlib. Each
 * is capped at the page's stated size, so a lying page header cannot make it allocate more.
 */
import zlib from "node:zlib";
import type { Decompressor } from "@/lib/data/parquet";

const capped =
  (fn: (data: Uint8Array, opts: { maxOutputLength: number }) => Buffer): Decompressor =>
  (data, size) => {
    const out = fn(data, { maxOutputLength: Math.max(1, size) });
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  };

export const PARQUET_DECOMPRESSORS: Record<string, Decompressor> = {
  GZIP: capped(zlib.gunzipSync),
  BROTLI: capped(zlib.brotliDecompressSync),
  ...(typeof zlib.zstdDecompressSync === "function" ? { ZSTD: capped(zlib.zstdDecompressSync) } : {}),
};
