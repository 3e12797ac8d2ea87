import { createCallerFactory, createTRPCRouter } from "./init";
import { alertsRouter } from "./routers/alerts";
import { auditRouter } from "./routers/audit";
import { backupsRouter } from "./routers/backups";
import { schedulesRouter } from "./routers/schedules";
import { securityRouter } from "./routers/security";
import { goliveRouter } from "./routers/golive";
import { migrationsRouter } from "./routers/migrations";
import { offsiteRouter } from "./routers/offsite";
import { deployRouter } from "./routers/deploy";
import { healthRouter } from "./routers/health";
import { jobRouter } from "./routers/job";
import { hostRouter } from "./routers/host";
import { serviceRouter } from "./routers/service";
import { setupRouter } from "./routers/setup";
import { stackRouter } from "./routers/stack";
import { accountRouter } from "./routers/account";
import { envRouter } from "./routers/env";
import { tokenRouter } from "./routers/token";
import { userRouter } from "./routers/user";

export const appRouter = createTRPCRouter({
  setup: setupRouter,
  stack: stackRouter,
  host: hostRouter,
  service: serviceRouter,
  account: accountRouter,
  env: envRouter,
  token: tokenRouter,
  user: userRouter,
  audit: auditRouter,
  deploy: deployRouter,
  job: jobRouter,
  health: healthRouter,
  alerts: alertsRouter,
  migrations: migrationsRouter,
  backups: backupsRouter,
  schedules: schedulesRouter,
  golive: goliveRouter,
  offsite: offsiteRouter,
  security: securityRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
