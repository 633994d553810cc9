import { createReportBody } from "@/lib/schemas/api-v1";
import { publicOrigin } from "@/server/http/public-origin";
import { apiRoute, readJson } from "@/server/http/rest";
import { publishReport } from "@/server/services/reports";

export const dynamic = "force-dynamic";

export const POST = apiRoute(
  "reports.publish",
  async (ctx, req) => {
    const body = await readJson(req, createReportBody);
    // Never from the request's Host header (forgeable): APP_URL, a trusted proxy, or a relative link.
    const base = publicOrigin(req.headers) ?? "";
    const { token, url } = await publishReport(
      ctx.db,
      ctx.caller,
      { runId: body.run_id, includeCode: body.include_code, expiresInDays: body.expires_in_days },
      base,
    );
    return { token, url };
  },
  { status: 201 },
);
