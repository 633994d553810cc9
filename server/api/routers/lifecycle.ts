import "server-only";
/** The lifecycle board's actions: the kill switch, and standing evolutions (create, pause, breed now). */
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { can } from "@/lib/roles";
import { workspaceIdSchema } from "@/lib/schemas/workspaces";
import { gatesOverrideSchema, setKillSwitch, setWorkspaceGates, workspaceGates } from "@/server/services/lifecycle";
import {
  createEvolution,
  createEvolutionInput,
  runEvolutionGeneration,
  setEvolutionPaused,
} from "@/server/services/evolutions";
import { router, workspaceProcedure } from "../trpc";

const ws = z.object({ workspaceId: workspaceIdSchema });
const evolutionRef = ws.extend({ evolutionId: z.string().uuid("Unknown evolution.") }).strict();

export const lifecycleRouter = router({
  gates: workspaceProcedure("workspace.read")
    .input(ws.strict())
    .query(({ ctx }) => workspaceGates(ctx.db, ctx.caller.workspaceId)),
  /** Override some of the workspace's gates (the seed defaults otherwise); audited. */
  setGates: workspaceProcedure("settings.manage")
    .input(ws.extend({ gates: gatesOverrideSchema }).strict())
    .mutation(({ ctx, input }) => setWorkspaceGates(ctx.db, ctx.caller, input.gates)),
  killSwitch: workspaceProcedure("strategies.write")
    .input(ws.extend({ on: z.boolean(), reason: z.string().max(500).optional() }).strict())
    .mutation(({ ctx, input }) => {
      if (!(ctx.caller.role !== null && can(ctx.caller.role, "strategies.approve")))
        throw new AppError("FORBIDDEN", "The kill switch needs an admin (strategies.approve).");
      return setKillSwitch(ctx.db, ctx.caller, input.on, { now: new Date(), reason: input.reason });
    }),
  createEvolution: workspaceProcedure("runs.create")
    .input(ws.extend({ evolution: createEvolutionInput }).strict())
    .mutation(async ({ ctx, input }) => {
      const ev = await createEvolution(ctx.db, ctx.caller, input.evolution, { now: new Date() });
      return { id: ev.id };
    }),
  pauseEvolution: workspaceProcedure("runs.create")
    .input(evolutionRef.extend({ paused: z.boolean() }).strict())
    .mutation(async ({ ctx, input }) => {
      const ev = await setEvolutionPaused(ctx.db, ctx.caller, input.evolutionId, input.paused, { now: new Date() });
      return { id: ev.id, paused: ev.paused };
    }),
  runGeneration: workspaceProcedure("runs.create")
    .input(evolutionRef)
    .mutation(({ ctx, input }) =>
      runEvolutionGeneration(ctx.db, ctx.caller.workspaceId, input.evolutionId, { now: new Date() }),
    ),
});
