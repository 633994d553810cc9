/**
 * `GET /api/v1/data/universes/{name}/export?format=csv|parquet`: every bar of every symbol of a
 * universe the API key's workspace can use (scope `read`), as one file with a symbol column
 * (CSV `Symbol,Date,Open,High,Low,Close,Volume`; Parquet `symbol,timestamp,open,high,low,close,volume`).
 * 400 naming `format` when it is missing or unknown; 404 for an unknown universe.
 */
import { barFileFormat, exportBars } from "@/server/data/bar-files";
import { apiRoute } from "@/server/http/rest";

export const dynamic = "force-dynamic";

export const GET = apiRoute("workspace.read", async (ctx, req, params) => {
  const format = barFileFormat(new URL(req.url).searchParams.get("format"));
  const file = await exportBars(ctx.db, ctx.caller.workspaceId, { universe: params.name ?? "" }, format);
  return new Response(Buffer.from(file.body), {
    status: 200,
    headers: {
      "Content-Type": file.contentType,
      "Content-Disposition": `attachment; filename="${file.fileName}"`,
      "Cache-Control": "no-store",
      "X-Symbols": String(file.symbols),
      "X-Bars": String(file.bars),
    },
  });
});
