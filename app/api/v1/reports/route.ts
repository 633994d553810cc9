import { createReportBody } from "@/lib/schemas/api-v1";
import { env } from "@/lib/env";
import { apiRoute, readJson } from "@/server/http/rest";
import { publishReport } from "@/server/services/reports";

export const dynamic = "force-dynamic";

export const POST = apiRoute(
  "reports.publish",
  async (ctx, req) => {
    const body = await readJson(req, createReportBody);
    const base = env().APP_URL ?? new URL(req.url).origin;
    const { token, url } = await publishReport(ctx.db, ctx.caller, { runId: body.run_id, includeCode: body.include_code, expiresInDays: body.expires_in_days }, base);
    return { token, url };
  },
  { status: 201 },
);
