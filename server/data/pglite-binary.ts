import "server-only";
/**
 * Reading packed chunks from embedded PGlite in the binary wire format: one extended-protocol
 * query (Parse/Bind/Execute/Sync) asking for binary results, so bytea arrives as its raw bytes
 * — no base64 or hex text to build in the database and decode in JavaScript. The query runs
 * under PGlite's own transaction and query locks, exactly like `pglite.query()`.
 */

/** The part of a PGlite instance this module uses. */
export interface PgliteLike {
  execProtocolRawStream(
    message: Uint8Array,
    opts: { syncToFs?: boolean; onRawData: (data: Uint8Array) => void },
  ): Promise<void>;
  _runExclusiveTransaction<T>(fn: () => Promise<T>): Promise<T>;
  _runExclusiveQuery<T>(fn: () => Promise<T>): Promise<T>;
}

/** Whether `client` (a drizzle `$client`) is a PGlite instance we can talk to directly. */
export function isPgliteLike(client: unknown): client is PgliteLike {
  const c = client as Partial<PgliteLike> | null;
  return (
    typeof c?.execProtocolRawStream === "function" &&
    typeof c._runExclusiveTransaction === "function" &&
    typeof c._runExclusiveQuery === "function"
  );
}

const enc = new TextEncoder();

function message(type: string, parts: Uint8Array[]): Uint8Array {
  const len = 4 + parts.reduce((n, p) => n + p.byteLength, 0);
  const out = new Uint8Array(1 + len);
  out[0] = type.charCodeAt(0);
  new DataView(out.buffer).setInt32(1, len);
  let at = 5;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}
const cstr = (s: string) => {
  const b = enc.encode(s);
  const o = new Uint8Array(b.byteLength + 1);
  o.set(b);
  return o;
};
const int16 = (n: number) => {
  const o = new Uint8Array(2);
  new DataView(o.buffer).setInt16(0, n);
  return o;
};
const int32 = (n: number) => {
  const o = new Uint8Array(4);
  new DataView(o.buffer).setInt32(0, n);
  return o;
};

/** Parse + Bind (text parameters, all results binary) + Execute + Sync for `sql` with `params`. */
function extendedQuery(sql: string, params: string[]): Uint8Array {
  const paramParts = params.flatMap((p) => {
    const b = enc.encode(p);
    return [int32(b.byteLength), b];
  });
  const msgs = [
    message("P", [cstr(""), cstr(sql), int16(0)]),
    message("B", [cstr(""), cstr(""), int16(0), int16(params.length), ...paramParts, int16(1), int16(1)]),
    message("E", [cstr(""), int32(0)]),
    message("S", []),
  ];
  const out = new Uint8Array(msgs.reduce((n, m) => n + m.byteLength, 0));
  let at = 0;
  for (const m of msgs) {
    out.set(m, at);
    at += m.byteLength;
  }
  return out;
}

/** A database error reported by PGlite over the wire. */
export class PgliteWireError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PgliteWireError";
  }
}

/**
 * Run `sql` (text `params`, binary results) and return every row as its column values (raw
 * binary bytes, null for SQL NULL). Each value is a view into the response buffer.
 */
export async function queryBinary(pglite: PgliteLike, sql: string, params: string[]): Promise<(Uint8Array | null)[][]> {
  // The streaming variant: PGlite's buffered execProtocolRaw regrows its output buffer and is
  // several times slower for large results. Pieces are views into WASM memory: copy them.
  const pieces: Uint8Array[] = [];
  let total = 0;
  await pglite._runExclusiveTransaction(() =>
    pglite._runExclusiveQuery(() =>
      pglite.execProtocolRawStream(extendedQuery(sql, params), {
        syncToFs: false,
        onRawData: (d) => {
          pieces.push(d.slice());
          total += d.byteLength;
        },
      }),
    ),
  );
  const response = pieces.length === 1 ? pieces[0] : new Uint8Array(total);
  if (pieces.length > 1) {
    let at = 0;
    for (const p of pieces) {
      response.set(p, at);
      at += p.byteLength;
    }
  }
  const view = new DataView(response.buffer, response.byteOffset, response.byteLength);
  const rows: (Uint8Array | null)[][] = [];
  let error: string | null = null;
  for (let at = 0; at + 5 <= response.byteLength;) {
    const type = String.fromCharCode(response[at]);
    const len = view.getInt32(at + 1);
    const body = at + 5;
    if (type === "D") {
      const n = view.getInt16(body);
      const row: (Uint8Array | null)[] = [];
      let p = body + 2;
      for (let c = 0; c < n; c++) {
        const l = view.getInt32(p);
        p += 4;
        row.push(l < 0 ? null : response.subarray(p, p + l));
        if (l > 0) p += l;
      }
      rows.push(row);
    } else if (type === "E") {
      // Fields: a type byte then a C string, until a zero byte; 'M' is the message.
      let p = body;
      const fields: Record<string, string> = {};
      while (response[p] !== 0 && p < body + len - 4) {
        const code = String.fromCharCode(response[p]);
        const end = response.indexOf(0, p + 1);
        fields[code] = new TextDecoder().decode(response.subarray(p + 1, end));
        p = end + 1;
      }
      error = fields.M ?? "query failed";
    }
    at += 1 + len;
  }
  if (error !== null) throw new PgliteWireError(error);
  return rows;
}

/** Big-endian int4 of a binary result column. */
export function readInt4(b: Uint8Array | null): number {
  if (!b || b.byteLength !== 4) throw new PgliteWireError("expected a 4-byte integer column");
  return new DataView(b.buffer, b.byteOffset, 4).getInt32(0);
}
