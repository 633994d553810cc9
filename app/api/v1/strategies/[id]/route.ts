import { apiRoute } from "@/server/http/rest";
import { getStrategyHandler } from "@/server/http/v1/strategies";

export const dynamic = "force-dynamic";
export const GET = apiRoute("strategies.read", getStrategyHandler);
