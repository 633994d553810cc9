import "server-only";
/**
 * Dead shared-report links answer with a real status (a link checker, crawler or script must
 * tell them from live ones): unknown token → 404, revoked or expired → 410 Gone, each with the
 * same friendly page a visitor sees. Pages cannot set a status other than 404 in Next, so the
 * proxy asks here first and only live links reach app/r/[token]/page.tsx.
 */
import { getDb } from "@/server/db";
import { publicOrigin } from "@/server/http/public-origin";
import { getPublicReport } from "@/server/services/reports";

/** Title and explanation of each dead-link state (also used by the page). */
export const DEAD_REPORT_MESSAGES = {
  revoked: ["This report was withdrawn", "The person who shared it has revoked the link."],
  expired: ["This report has expired", "The link was shared with an expiry date that has passed."],
  missing: ["Report not found", "Check that the link is complete; it may have been mistyped."],
} as const;

export type DeadReportState = keyof typeof DEAD_REPORT_MESSAGES;

/** HTTP status of a dead link. */
export function deadReportStatus(state: DeadReportState): 404 | 410 {
  return state === "missing" ? 404 : 410;
}

function deadReportHtml(state: DeadReportState): string {
  const [title, detail] = DEAD_REPORT_MESSAGES[state];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow"><title>${title} · Strategy Lab</title><link rel="icon" href="/favicon.ico">
<style>body{font-family:system-ui,sans-serif;color:#0f172a;margin:0}main{max-width:36rem;margin:6rem auto;padding:0 1.5rem;text-align:center}p{color:#475569}a{color:inherit}</style>
</head><body><main data-testid="report-${state}"><h1>${title}</h1><p>${detail}</p><a href="/">Strategy Lab</a></main></body></html>`;
}

/** The answer for `/r/<token>` when the link is dead, or null when the report is live. */
export async function deadReportResponse(token: string): Promise<Response | null> {
  const report = await getPublicReport(await getDb(), token);
  if (report.state === "ok") return null;
  return new Response(deadReportHtml(report.state), {
    status: deadReportStatus(report.state),
    headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store", "X-Robots-Tag": "noindex" },
  });
}

/**
 * Base for a report page's absolute URLs (its preview image): APP_URL, else the host a trusted
 * proxy forwarded; undefined without either (never the request's own Host header).
 */
export function reportMetadataBase(headers: Headers): URL | undefined {
  const origin = publicOrigin(headers);
  return origin ? new URL(origin) : undefined;
}
