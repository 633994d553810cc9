import "server-only";
import { accountRouter } from "./routers/account";
import { apiKeysRouter } from "./routers/api-keys";
import { auditRouter } from "./routers/audit";
import { invitesRouter } from "./routers/invites";
import { membersRouter } from "./routers/members";
import { reportsRouter } from "./routers/reports";
import { strategiesRouter } from "./routers/strategies";
import { workspacesRouter } from "./routers/workspaces";
import { alertsRouter } from "./routers/alerts";
import { notificationsRouter } from "./routers/notifications";
import { runsRouter } from "./routers/runs";
import { screensRouter } from "./routers/screens";
import { generationRouter } from "./routers/generation";
import { promptsRouter } from "./routers/prompts";
import { providersRouter } from "./routers/providers";
import { dataRouter } from "./routers/data";
import { lifecycleRouter } from "./routers/lifecycle";
import { createCallerFactory, router } from "./trpc";

export const appRouter = router({
  runs: runsRouter,
  screens: screensRouter,
  alerts: alertsRouter,
  notifications: notificationsRouter,
  account: accountRouter,
  workspaces: workspacesRouter,
  members: membersRouter,
  invites: invitesRouter,
  audit: auditRouter,
  strategies: strategiesRouter,
  lifecycle: lifecycleRouter,
  apiKeys: apiKeysRouter,
  reports: reportsRouter,
  generation: generationRouter,
  prompts: promptsRouter,
  providers: providersRouter,
  data: dataRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
