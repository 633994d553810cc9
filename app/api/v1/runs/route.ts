import { apiRoute } from "@/server/http/rest";
import { createRunHandler } from "@/server/http/v1/runs";

export const dynamic = "force-dynamic";
export const POST = apiRoute("runs.create", createRunHandler, { status: 202 });
