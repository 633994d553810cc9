import { apiRoute } from "@/server/http/rest";
import { listStudiesHandler } from "@/server/http/v1/studies";

export const dynamic = "force-dynamic";
export const GET = apiRoute("runs.read", listStudiesHandler);
