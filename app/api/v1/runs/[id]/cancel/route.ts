import { apiRoute } from "@/server/http/rest";
import { cancelRunHandler } from "@/server/http/v1/runs";

export const dynamic = "force-dynamic";
export const POST = apiRoute("runs.create", cancelRunHandler);
