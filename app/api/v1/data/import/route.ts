/**
 * `POST /api/v1/data/import?symbol=S[&timezone=Area/City][&no_header=true]`: import one CSV file of bars into
 * the API key's workspace (scope `run`). Body: the CSV as `text/csv` (or `text/plain`), or
 * `multipart/form-data` with a `file` field (and optionally `symbol`). 201 with the stored
 * range; 422 `{ error: { code: "UNPROCESSABLE", message, problems: [{ line, column?, message }] } }`
 * listing every problem when the file is rejected (nothing is written).
 */
import { AppError } from "@/lib/errors";
import { findNulPath, nulProblem } from "@/lib/schemas/text";
import { importCsv, MAX_CSV_CHARS } from "@/server/data/service";
import { apiRoute, readBodyText } from "@/server/http/rest";

export const dynamic = "force-dynamic";

async function readCsv(req: Request): Promise<{ csv: string; symbol: string | null; fileName: string | null }> {
  const type = req.headers.get("content-type") ?? "";
  const length = Number(req.headers.get("content-length") ?? 0);
  if (length > MAX_CSV_CHARS * 1.1) throw new AppError("INVALID_INPUT", "The file is too large; split it.");
  if (type.startsWith("multipart/form-data")) {
    const form = await req.formData().catch(() => null);
    const file = form?.get("file");
    if (!form || !(file instanceof File)) throw new AppError("INVALID_INPUT", "Send the CSV in a multipart field named `file`.");
    const symbol = form.get("symbol");
    return { csv: await file.text(), symbol: typeof symbol === "string" ? symbol : null, fileName: file.name || null };
  }
  if (type.startsWith("text/csv") || type.startsWith("text/plain") || type.startsWith("application/csv")) return { csv: await readBodyText(req, Math.ceil(MAX_CSV_CHARS * 1.1)), symbol: null, fileName: null };
  throw new AppError("INVALID_INPUT", "Send the CSV as Content-Type: text/csv, or as multipart/form-data with a `file` field.");
}

export const POST = apiRoute("strategies.write", async (ctx, req) => {
  const url = new URL(req.url);
  const body = await readCsv(req);
  const symbol = url.searchParams.get("symbol") ?? body.symbol;
  if (!symbol) throw new AppError("INVALID_INPUT", "Name the symbol with ?symbol=TICKER.");
  const nul = findNulPath({ symbol, fileName: body.fileName });
  if (nul !== null) throw new AppError("INVALID_INPUT", nulProblem(nul));
  const noHeader = url.searchParams.get("no_header");
  if (noHeader !== null && noHeader !== "true" && noHeader !== "false") throw new AppError("INVALID_INPUT", "no_header must be true or false.");
  const result = await importCsv(ctx.db, ctx.caller, { symbol, csv: body.csv, timezone: url.searchParams.get("timezone") ?? undefined, noHeader: noHeader === "true", fileName: body.fileName ?? undefined });
  if (!result.ok) {
    const message = `${result.symbol}: the file was rejected with ${result.problems.length} problem(s); nothing was written.`;
    return Response.json({ error: { code: "UNPROCESSABLE", message, problems: result.problems } }, { status: 422, headers: { "Cache-Control": "no-store" } });
  }
  const { quality, ...rest } = result;
  return Response.json(
    { ...rest, first: new Date(rest.firstMs).toISOString(), last: new Date(rest.lastMs).toISOString(), quality: { ok: quality.ok, gaps: quality.gaps.length, staleRuns: quality.staleRuns.length, outliers: quality.outliers.length, suspectedSplits: quality.suspectedSplits.length } },
    { status: 201, headers: { "Cache-Control": "no-store" } },
  );
});
