/** Lifecycle requests as REST and tRPC accept them. */
import { z } from "zod";
import { STRATEGY_EVENTS } from "@/lib/lifecycle/strategy";

export const lifecycleEventBody = z
  .object({
    event: z.enum(STRATEGY_EVENTS, { message: `event must be one of ${STRATEGY_EVENTS.join(", ")}` }),
    reason: z.string().max(500).optional(),
  })
  .strict();

export const killSwitchBody = z
  .object({ on: z.boolean({ message: "on must be true or false" }), reason: z.string().max(500).optional() })
  .strict();
