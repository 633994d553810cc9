/**
 * `POST /api/v1/data/import?symbol=S[&timezone=Area/City][&no_header=true]`: import one CSV file of bars into
 * the API key's workspace (scope `run`). Body: the CSV as `text/csv` (or `text/plain`), or
 * `multipart/form-data` with a `file` field (and optionally `symbol`); a Parquet file as
 * `application/vnd.apache.parquet` (or a multipart `file` named *.parquet). 201 with the stored
 * range; 422 `{ error: { code: "UNPROCESSABLE", message, problems: [{ line, column?, message }] } }`
 * listing the problems (the first 1,000) when the file is rejected (nothing is written).
 */
import { AppError } from "@/lib/errors";
import { findNulPath, nulProblem } from "@/lib/schemas/text";
import { importCsv, MAX_CSV_CHARS, type ImportResult } from "@/server/data/service";
import { importParquet, MAX_PARQUET_BYTES } from "@/server/data/bar-files";
import { apiRoute, readBodyText } from "@/server/http/rest";

export const dynamic = "force-dynamic";

const PARQUET_TYPE = "application/vnd.apache.parquet";

/** The body's bytes, refusing more than `limit` (declared or streamed). */
async function readBytes(req: Request, limit: number): Promise<Uint8Array> {
  const tooLarge = () => new AppError("INVALID_INPUT", `The file is larger than ${limit / 1_000_000} MB; split it.`);
  if (Number(req.headers.get("content-length") ?? 0) > limit) throw tooLarge();
  if (!req.body) return new Uint8Array();
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

type Body =
  | { csv: string; parquet?: undefined; symbol: string | null; fileName: string | null }
  | { csv?: undefined; parquet: Uint8Array; symbol: string | null; fileName: string | null };

async function readCsv(req: Request): Promise<Body> {
  const type = req.headers.get("content-type") ?? "";
  if (type.startsWith(PARQUET_TYPE))
    return { parquet: await readBytes(req, MAX_PARQUET_BYTES), symbol: null, fileName: null };
  const length = Number(req.headers.get("content-length") ?? 0);
  if (length > MAX_CSV_CHARS * 1.1) throw new AppError("INVALID_INPUT", "The file is too large; split it.");
  if (type.startsWith("multipart/form-data")) {
    const form = await req.formData().catch(() => null);
    const file = form?.get("file");
    if (!form || !(file instanceof File))
      throw new AppError("INVALID_INPUT", "Send the CSV in a multipart field named `file`.");
    const symbol = form.get("symbol");
    const sym = typeof symbol === "string" ? symbol : null;
    if (/\.parquet$/i.test(file.name) || file.type === PARQUET_TYPE) {
      if (file.size > MAX_PARQUET_BYTES)
        throw new AppError("INVALID_INPUT", `The file is larger than ${MAX_PARQUET_BYTES / 1_000_000} MB; split it.`);
      return { parquet: new Uint8Array(await file.arrayBuffer()), symbol: sym, fileName: file.name || null };
    }
    return { csv: await file.text(), symbol: sym, fileName: file.name || null };
  }
  if (type.startsWith("text/csv") || type.startsWith("text/plain") || type.startsWith("application/csv"))
    return { csv: await readBodyText(req, Math.ceil(MAX_CSV_CHARS * 1.1)), symbol: null, fileName: null };
  throw new AppError(
    "INVALID_INPUT",
    `Send the CSV as Content-Type: text/csv, a Parquet file as ${PARQUET_TYPE}, or either as multipart/form-data with a \`file\` field.`,
  );
}

export const POST = apiRoute("strategies.write", async (ctx, req) => {
  const url = new URL(req.url);
  const body = await readCsv(req);
  const symbol = url.searchParams.get("symbol") ?? body.symbol;
  if (!symbol) throw new AppError("INVALID_INPUT", "Name the symbol with ?symbol=TICKER.");
  const nul = findNulPath({ symbol, fileName: body.fileName });
  if (nul !== null) throw new AppError("INVALID_INPUT", nulProblem(nul));
  const noHeader = url.searchParams.get("no_header");
  if (noHeader !== null && noHeader !== "true" && noHeader !== "false")
    throw new AppError("INVALID_INPUT", "no_header must be true or false.");
  let result: ImportResult;
  if (body.parquet) {
    if (url.searchParams.has("timezone") || noHeader !== null)
      throw new AppError(
        "INVALID_INPUT",
        "timezone and no_header apply to CSV files only; a Parquet file carries typed UTC timestamps.",
      );
    result = await importParquet(ctx.db, ctx.caller, {
      symbol,
      bytes: body.parquet,
      fileName: body.fileName ?? undefined,
    });
  } else
    result = await importCsv(ctx.db, ctx.caller, {
      symbol,
      csv: body.csv,
      timezone: url.searchParams.get("timezone") ?? undefined,
      noHeader: noHeader === "true",
      fileName: body.fileName ?? undefined,
    });
  if (!result.ok) {
    const message = `${result.symbol}: the file was rejected with ${result.problems.length} problem(s); nothing was written.`;
    return Response.json(
      { error: { code: "UNPROCESSABLE", message, problems: result.problems } },
      { status: 422, headers: { "Cache-Control": "no-store" } },
    );
  }
  const { quality, ...rest } = result;
  return Response.json(
    {
      ...rest,
      first: new Date(rest.firstMs).toISOString(),
      last: new Date(rest.lastMs).toISOString(),
      quality: {
        ok: quality.ok,
        gaps: quality.gaps.length,
        staleRuns: quality.staleRuns.length,
        outliers: quality.outliers.length,
        suspectedSplits: quality.suspectedSplits.length,
      },
    },
    { status: 201, headers: { "Cache-Control": "no-store" } },
  );
});
