import type { SignalArrays } from "@/lib/engine/signals";
import { SandboxError } from "./errors";
import { FLAG_FIELDS, NUMBER_FIELDS } from "./protocol";

function invalid(symbol: string, message: string): SandboxError {
  return new SandboxError("INVALID_OUTPUT", `${symbol}: ${message}`, { symbol });
}

/**
 * Reads one symbol's packed output (layout written by the in-isolate harness: an 8-byte
 * Float64 presence mask, the present number arrays, then the present flag arrays) and
 * checks it again on the host: exact size for `n` bars, flags 0/1, numbers finite or NaN,
 * confidence in [0, 1]. The arrays returned are views into `buffer`.
 */
export function decodeOutput(buffer: ArrayBuffer, n: number, symbol: string): SignalArrays {
  if (!(buffer instanceof ArrayBuffer) || buffer.byteLength < 8)
    throw invalid(symbol, "the sandbox returned no signal data");
  const mask = new Float64Array(buffer, 0, 1)[0];
  if (!Number.isInteger(mask) || mask < 0 || mask > 255 || (mask & 3) !== 3)
    throw invalid(symbol, "signals() must return both `entries` and `exits`");
  let numbers = 0;
  let flags = 0;
  for (let k = 0; k < 4; k++) {
    if (mask & (1 << k)) flags++;
    if (mask & (1 << (k + 4))) numbers++;
  }
  const expected = 8 + numbers * n * 8 + flags * n;
  if (buffer.byteLength !== expected)
    throw invalid(symbol, `signal data has ${buffer.byteLength} bytes where ${expected} were expected for ${n} bars`);
  const out: Partial<
    Record<(typeof FLAG_FIELDS)[number], Uint8Array> & Record<(typeof NUMBER_FIELDS)[number], Float64Array>
  > = {};
  let offset = 8;
  for (let k = 0; k < 4; k++) {
    if (!(mask & (1 << (k + 4)))) continue;
    const arr = new Float64Array(buffer, offset, n);
    const field = NUMBER_FIELDS[k];
    for (let i = 0; i < n; i++) {
      const x = arr[i];
      if (x === Infinity || x === -Infinity)
        throw invalid(symbol, `\`${field}[${i}]\` is ${x}; expected a finite number or NaN`);
      if (field === "confidence" && (x < 0 || x > 1))
        throw invalid(symbol, `\`confidence[${i}]\` is ${x}; expected [0, 1] or NaN`);
    }
    out[field] = arr;
    offset += n * 8;
  }
  for (let k = 0; k < 4; k++) {
    if (!(mask & (1 << k))) continue;
    const arr = new Uint8Array(buffer, offset, n);
    const field = FLAG_FIELDS[k];
    for (let i = 0; i < n; i++)
      if (arr[i] > 1) throw invalid(symbol, `\`${field}[${i}]\` is ${arr[i]}; expected 0 or 1`);
    out[field] = arr;
    offset += n;
  }
  const { entries, exits } = out;
  if (!entries || !exits) throw invalid(symbol, "signals() must return both `entries` and `exits`");
  return { ...out, entries, exits };
}
