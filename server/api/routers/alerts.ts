import "server-only";
import { z } from "zod";
import {
  acknowledgeInput,
  alertRuleRefInput,
  channelRefInput,
  createAlertRuleInput,
  createChannelInput,
  listAlertEventsInput,
  updateAlertRuleInput,
} from "@/lib/schemas/alerts";
import { workspaceIdSchema } from "@/lib/schemas/workspaces";
import {
  acknowledgeAlerts,
  createAlertRule,
  deleteAlertRule,
  listAlertEvents,
  listAlertRules,
  updateAlertRule,
} from "@/server/services/alerts";
import { createChannel, deleteChannel, listChannels, setChannelEnabled } from "@/server/services/webhooks";
import { router, workspaceProcedure } from "../trpc";

const ws = z.object({ workspaceId: workspaceIdSchema }).strict();

export const alertsRouter = router({
  rules: workspaceProcedure("runs.read")
    .input(ws)
    .query(({ ctx }) => listAlertRules(ctx.db, ctx.caller.workspaceId)),
  createRule: workspaceProcedure("alerts.write")
    .input(createAlertRuleInput)
    .mutation(({ ctx, input }) => createAlertRule(ctx.db, ctx.caller, input.rule)),
  updateRule: workspaceProcedure("alerts.write")
    .input(updateAlertRuleInput)
    .mutation(({ ctx, input }) => updateAlertRule(ctx.db, ctx.caller, input.ruleId, input.rule)),
  deleteRule: workspaceProcedure("alerts.write")
    .input(alertRuleRefInput)
    .mutation(({ ctx, input }) => deleteAlertRule(ctx.db, ctx.caller, input.ruleId)),
  feed: workspaceProcedure("runs.read")
    .input(listAlertEventsInput)
    .query(({ ctx, input }) => listAlertEvents(ctx.db, ctx.caller.workspaceId, input)),
  acknowledge: workspaceProcedure("alerts.write")
    .input(acknowledgeInput)
    .mutation(({ ctx, input }) => acknowledgeAlerts(ctx.db, ctx.caller, input.eventIds)),
  channels: workspaceProcedure("channels.manage")
    .input(ws)
    .query(({ ctx }) => listChannels(ctx.db, ctx.caller.workspaceId)),
  /** Returns the webhook secret once; it is never shown again. */
  createChannel: workspaceProcedure("channels.manage")
    .input(createChannelInput)
    .mutation(({ ctx, input }) => createChannel(ctx.db, ctx.caller, input)),
  setChannelEnabled: workspaceProcedure("channels.manage")
    .input(channelRefInput.extend({ enabled: z.boolean() }).strict())
    .mutation(({ ctx, input }) => setChannelEnabled(ctx.db, ctx.caller, input.channelId, input.enabled)),
  deleteChannel: workspaceProcedure("channels.manage")
    .input(channelRefInput)
    .mutation(({ ctx, input }) => deleteChannel(ctx.db, ctx.caller, input.channelId)),
});
