/**
 * Thrift compact protocol, the encoding of Parquet's footer and page headers: a small writer
 * over a typed value tree and a generic reader that returns every struct as a field-id map
 * (unknown fields are kept, so files from other writers decode too).
 * Field header: `(delta << 4) | type` when the id grows by 1..15, else the type byte and the
 * zigzag-varint id; integers are zigzag varints; binary is a varint length and the bytes;
 * lists are `(size << 4) | elementType` (size < 15) or `0xF0 | elementType` and a varint size;
 * a boolean field carries its value in the type nibble (1 true, 2 false); structs end with 0.
 */

/** Compact-protocol type codes. */
export const CT = {
  TRUE: 1,
  FALSE: 2,
  BYTE: 3,
  I16: 4,
  I32: 5,
  I64: 6,
  DOUBLE: 7,
  BINARY: 8,
  LIST: 9,
  SET: 10,
  MAP: 11,
  STRUCT: 12,
} as const;

/** A value to write. `i64` takes a bigint or a safe integer. */
export type ThriftValue =
  | { t: "i32"; v: number }
  | { t: "i64"; v: bigint | number }
  | { t: "bool"; v: boolean }
  | { t: "bin"; v: Uint8Array | string }
  | { t: "struct"; f: ReadonlyArray<readonly [number, ThriftValue | undefined]> }
  | { t: "list"; et: "i32" | "i64" | "bin" | "struct"; items: ThriftValue[] };

const TYPE_CODE = { i32: CT.I32, i64: CT.I64, bin: CT.BINARY, struct: CT.STRUCT, list: CT.LIST } as const;
const MASK64 = (1n << 64n) - 1n;

/** Appends compact-protocol bytes. */
export class CompactWriter {
  private buf = new Uint8Array(256);
  private len = 0;

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.len++] = b & 0xff;
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  /** Unsigned varint (7 bits a byte, low first). */
  varint(value: bigint): void {
    let v = value & MASK64;
    while (v >= 0x80n) {
      this.byte(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.byte(Number(v));
  }

  zigzag(value: bigint | number): void {
    const v = BigInt(value);
    this.varint(((v << 1n) ^ (v >> 63n)) & MASK64);
  }

  value(v: ThriftValue): void {
    switch (v.t) {
      case "i32":
      case "i64":
        this.zigzag(v.v);
        return;
      case "bool":
        this.byte(v.v ? CT.TRUE : CT.FALSE);
        return;
      case "bin": {
        const b = typeof v.v === "string" ? new TextEncoder().encode(v.v) : v.v;
        this.varint(BigInt(b.length));
        this.bytes(b);
        return;
      }
      case "list": {
        const n = v.items.length;
        const et = TYPE_CODE[v.et];
        if (n < 15) this.byte((n << 4) | et);
        else {
          this.byte(0xf0 | et);
          this.varint(BigInt(n));
        }
        for (const item of v.items) this.value(item);
        return;
      }
      case "struct": {
        let last = 0;
        for (const [id, field] of v.f) {
          if (field === undefined) continue;
          const type = field.t === "bool" ? (field.v ? CT.TRUE : CT.FALSE) : TYPE_CODE[field.t];
          const delta = id - last;
          if (delta > 0 && delta <= 15) this.byte((delta << 4) | type);
          else {
            this.byte(type);
            this.zigzag(id);
          }
          last = id;
          if (field.t !== "bool") this.value(field);
        }
        this.byte(0);
        return;
      }
    }
  }

  result(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

/** Encode one struct (its fields by id). */
export function encodeStruct(fields: ReadonlyArray<readonly [number, ThriftValue | undefined]>): Uint8Array {
  const w = new CompactWriter();
  w.value({ t: "struct", f: fields });
  return w.result();
}

/** A decoded struct: field id → value (number for i8/i16/i32/double, bigint for i64, Uint8Array for binary, arrays, nested maps). */
export type ThriftStruct = Map<number, unknown>;

/** Malformed or truncated compact-protocol bytes. */
export class ThriftDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ThriftDecodeError";
  }
}

/** Reads compact-protocol values from `bytes` starting at `pos`. */
export class CompactReader {
  pos: number;
  private depth = 0;

  constructor(
    private readonly bytes: Uint8Array,
    pos = 0,
  ) {
    this.pos = pos;
  }

  byte(): number {
    if (this.pos >= this.bytes.length) throw new ThriftDecodeError(`truncated thrift data at byte ${this.pos}`);
    return this.bytes[this.pos++];
  }

  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = this.byte();
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
      if (shift > 63n) throw new ThriftDecodeError(`varint longer than 10 bytes at byte ${this.pos}`);
    }
  }

  zigzag(): bigint {
    const u = this.varint();
    return (u >> 1n) ^ -(u & 1n);
  }

  private value(type: number): unknown {
    switch (type) {
      case CT.TRUE:
        return true;
      case CT.FALSE:
        return false;
      case CT.BYTE: {
        const b = this.byte();
        return b > 127 ? b - 256 : b;
      }
      case CT.I16:
      case CT.I32:
        return Number(this.zigzag());
      case CT.I64:
        return this.zigzag();
      case CT.DOUBLE: {
        if (this.pos + 8 > this.bytes.length) throw new ThriftDecodeError("truncated double");
        const v = new DataView(this.bytes.buffer, this.bytes.byteOffset + this.pos, 8).getFloat64(0, true);
        this.pos += 8;
        return v;
      }
      case CT.BINARY: {
        const n = Number(this.varint());
        if (this.pos + n > this.bytes.length) throw new ThriftDecodeError(`binary of ${n} bytes runs past the end`);
        const out = this.bytes.subarray(this.pos, this.pos + n);
        this.pos += n;
        return out;
      }
      case CT.LIST:
      case CT.SET: {
        const head = this.byte();
        const size = head >> 4 === 15 ? Number(this.varint()) : head >> 4;
        const et = head & 0x0f;
        if (size > this.bytes.length) throw new ThriftDecodeError(`list of ${size} elements cannot fit`);
        const items: unknown[] = [];
        // Booleans inside a list are one byte each (1 true, else false).
        for (let i = 0; i < size; i++)
          items.push(et === CT.TRUE || et === CT.FALSE ? this.byte() === CT.TRUE : this.value(et));
        return items;
      }
      case CT.MAP: {
        const size = Number(this.varint());
        const out = new Map<unknown, unknown>();
        if (size === 0) return out;
        const kv = this.byte();
        for (let i = 0; i < size; i++) out.set(this.value(kv >> 4), this.value(kv & 0x0f));
        return out;
      }
      case CT.STRUCT:
        return this.struct();
      default:
        throw new ThriftDecodeError(`unknown thrift type ${type} at byte ${this.pos}`);
    }
  }

  /** One struct, up to and including its stop byte. */
  struct(): ThriftStruct {
    if (++this.depth > 64) throw new ThriftDecodeError("thrift structs nested too deeply");
    const out: ThriftStruct = new Map();
    let last = 0;
    for (;;) {
      const head = this.byte();
      if (head === 0) break;
      const type = head & 0x0f;
      const delta = head >> 4;
      const id = delta === 0 ? Number(this.zigzag()) : last + delta;
      last = id;
      out.set(id, this.value(type));
    }
    this.depth--;
    return out;
  }
}
