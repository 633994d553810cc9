import { apiRoute } from "@/server/http/rest";
import { createStrategyHandler, listStrategiesHandler } from "@/server/http/v1/strategies";

export const dynamic = "force-dynamic";
export const GET = apiRoute("strategies.read", listStrategiesHandler);
export const POST = apiRoute("strategies.write", createStrategyHandler, { status: 201 });
