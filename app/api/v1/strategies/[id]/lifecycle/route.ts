import { apiRoute } from "@/server/http/rest";
import { lifecycleEventHandler } from "@/server/http/v1/lifecycle";

export const dynamic = "force-dynamic";
export const POST = apiRoute("strategies.write", lifecycleEventHandler);
