import { apiRoute } from "@/server/http/rest";
import { resumeStudyHandler } from "@/server/http/v1/studies";

export const dynamic = "force-dynamic";
export const POST = apiRoute("runs.create", resumeStudyHandler, { status: 202 });
