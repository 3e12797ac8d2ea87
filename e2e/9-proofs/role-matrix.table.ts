// Who may call what: the expected answer of every tRPC procedure and every route handler, for each
// caller. The role matrix spec (01-role-matrix.spec.ts) calls each one and compares; a procedure or
// route missing here, or listed here but gone, fails it by name. Change this table in the same commit
// as the procedure or route.
//
// "401": no caller (no session, no token). "403": the caller is known but refused (role, token kind).
// "pass": anything else (the spec sends an empty input, so an allowed caller mostly gets 400).

export const CALLERS = ["anonymous", "viewer", "deployer", "admin", "viewerToken", "deployerToken", "adminToken"] as const;
export type Caller = (typeof CALLERS)[number];
export type Outcome = "401" | "403" | "pass";
export type Row = Record<Caller, Outcome>;

export interface Entry {
  expected: Row;
  /**
   * Why an allowed caller must not make this call (it would act: end sessions, run a sweep). Only the
   * refused callers are called; the allowed ones are checked against this table alone.
   */
  unsafe?: string;
}

export interface RouteEntry extends Entry {
  /** Added to the URL after the dummy parameters: what keeps the call short (no follow, no stream). */
  query?: string;
}

function row(words: string): Row {
  const outcomes = words.trim().split(/\s+/) as Outcome[];
  if (outcomes.length !== CALLERS.length || outcomes.some((o) => !["401", "403", "pass"].includes(o)))
    throw new Error(`role matrix row "${words}": ${CALLERS.length} of 401, 403, pass`);
  return Object.fromEntries(CALLERS.map((c, i) => [c, outcomes[i]])) as Row;
}

//                          anonymous viewer deployer admin viewerToken deployerToken adminToken
const PUBLIC = row(/*    */ "pass     pass   pass     pass  pass        pass          pass");
const VIEWER = row(/*    */ "401      pass   pass     pass  pass        pass          pass");
const DEPLOYER = row(/*  */ "401      403    pass     pass  403         pass          pass");
const ADMIN = row(/*     */ "401      403    403      pass  403         403           pass");
/** adminUserProcedure: users and tokens are managed by a signed-in admin, never with a token. */
const ADMIN_USER = row(/**/ "401      403    403      pass  403         403           403");
/** accountProcedure: the caller's own account, any signed-in user, never a token. */
const ACCOUNT = row(/*   */ "401      pass   pass     pass  403         403           403");

const e = (expected: Row, unsafe?: string): Entry => (unsafe ? { expected, unsafe } : { expected });

export const PROCEDURES: Record<string, Entry> = {
  "account.beginTotp": e(ACCOUNT),
  "account.changePassword": e(ACCOUNT),
  "account.confirmTotp": e(ACCOUNT),
  "account.disableTotp": e(ACCOUNT),
  "account.get": e(ACCOUNT),
  "account.signOutEverywhere": e(ACCOUNT, "takes no input: it would end every session of the caller"),
  "alerts.channels": e(VIEWER),
  "alerts.deleteChannel": e(ADMIN),
  "alerts.history": e(VIEWER),
  "alerts.rules": e(VIEWER),
  "alerts.saveChannel": e(ADMIN),
  "alerts.testChannel": e(ADMIN),
  "alerts.updateRule": e(ADMIN),
  "audit.list": e(VIEWER),
  "backups.create": e(DEPLOYER),
  "backups.createUploads": e(DEPLOYER),
  "backups.delete": e(ADMIN),
  "backups.drill": e(DEPLOYER),
  "backups.health": e(VIEWER),
  "backups.list": e(VIEWER),
  "backups.restore": e(ADMIN),
  "deploy.history": e(VIEWER),
  "deploy.live": e(VIEWER),
  "deploy.lock": e(VIEWER),
  "deploy.removeLeftover": e(DEPLOYER),
  "deploy.rollback": e(DEPLOYER),
  "deploy.start": e(DEPLOYER),
  "deploy.tags": e(VIEWER),
  "env.diff": e(DEPLOYER),
  "env.get": e(DEPLOYER),
  "env.hostFiles": e(DEPLOYER),
  "env.importFromLive": e(ADMIN),
  "env.importHostFile": e(ADMIN),
  "env.overwriteHostFile": e(ADMIN),
  "env.list": e(VIEWER),
  "env.restore": e(ADMIN),
  "env.reveal": e(ADMIN),
  "env.save": e(ADMIN),
  "golive.adopt": e(ADMIN),
  "golive.adoptPreview": e(DEPLOYER),
  "golive.decommission": e(ADMIN),
  "golive.exportHost": e(ADMIN),
  "golive.goLive": e(ADMIN),
  "golive.preflightHost": e(DEPLOYER),
  "golive.preflightStack": e(DEPLOYER),
  "golive.saveSettings": e(ADMIN),
  "golive.settings": e(VIEWER),
  "health.checkNow": e(DEPLOYER),
  "health.checkOtherHosts": e(DEPLOYER, "takes no input: it would run a sweep of the hosts outside any stack"),
  "health.host": e(VIEWER),
  "health.otherHosts": e(VIEWER),
  "health.overview": e(VIEWER),
  "health.series": e(VIEWER),
  "health.service": e(VIEWER),
  "host.containerAction": e(DEPLOYER),
  "host.containers": e(VIEWER),
  "host.create": e(ADMIN),
  "host.delete": e(ADMIN),
  "host.fetchFingerprint": e(ADMIN),
  "host.get": e(VIEWER),
  "host.list": e(VIEWER),
  "host.pinFingerprint": e(ADMIN),
  "host.setViewerLogs": e(ADMIN),
  "host.testConnection": e(DEPLOYER),
  "host.update": e(ADMIN),
  "job.cancel": e(DEPLOYER),
  "job.get": e(VIEWER),
  "job.list": e(VIEWER),
  "job.log": e(VIEWER),
  "migrations.down": e(ADMIN),
  "migrations.force": e(ADMIN),
  "migrations.goto": e(ADMIN),
  // A mutation that only reads (it creates and removes a stopped container): viewers may call it.
  "migrations.status": e(VIEWER),
  "migrations.up": e(DEPLOYER),
  "offsite.get": e(ADMIN),
  "offsite.retry": e(DEPLOYER),
  "offsite.save": e(ADMIN),
  "offsite.test": e(ADMIN),
  "schedules.create": e(ADMIN),
  "schedules.delete": e(ADMIN),
  "schedules.list": e(VIEWER),
  "schedules.update": e(ADMIN),
  "security.acceptRisk": e(ADMIN),
  "security.applyFix": e(ADMIN),
  "security.fixPreview": e(ADMIN),
  "security.lights": e(VIEWER),
  "security.overview": e(VIEWER),
  "security.revokeRisk": e(ADMIN),
  "security.run": e(DEPLOYER),
  "service.create": e(ADMIN),
  "service.delete": e(ADMIN),
  "service.list": e(VIEWER),
  "service.update": e(ADMIN),
  "setup.createFirstAdmin": e(PUBLIC),
  "setup.status": e(PUBLIC),
  "stack.create": e(ADMIN),
  "stack.delete": e(ADMIN),
  "stack.deploySettings": e(VIEWER),
  "stack.get": e(VIEWER),
  "stack.list": e(VIEWER),
  "stack.setBackupEncryption": e(ADMIN),
  "stack.setDeploySettings": e(ADMIN),
  "stack.update": e(ADMIN),
  "token.create": e(ADMIN_USER),
  "token.list": e(ADMIN_USER),
  "token.revoke": e(ADMIN_USER),
  "user.create": e(ADMIN_USER),
  "user.delete": e(ADMIN_USER),
  "user.list": e(ADMIN_USER),
  "user.me": e(VIEWER),
  "user.resetTotp": e(ADMIN_USER),
  "user.setRole": e(ADMIN_USER),
};

/**
 * Keyed "METHOD /route" as the file tree names it. Dummy parameters: [id] a record id that does not
 * exist, [stack] a stack that does not exist (so no POST can start anything), [trpc] a procedure that
 * does not exist (the procedures are checked one by one above), [...nextauth] an action Auth.js does not know.
 */
export const ROUTES: Record<string, RouteEntry> = {
  "GET /api/auth/[...nextauth]": e(PUBLIC),
  "POST /api/auth/[...nextauth]": e(PUBLIC),
  "GET /api/backups/[id]/download": e(ADMIN),
  "GET /api/healthz": e(PUBLIC),
  "GET /api/jobs/[id]/events": e(VIEWER),
  "GET /api/jobs/[id]/log": e(VIEWER),
  "GET /api/logs/download": e(VIEWER),
  "GET /api/logs/presets": e(VIEWER),
  "GET /api/logs/stream": e(VIEWER),
  "GET /api/trpc/[trpc]": e(PUBLIC),
  "POST /api/trpc/[trpc]": e(PUBLIC),
  "POST /api/v1/jobs/[id]/cancel": e(DEPLOYER),
  "GET /api/v1/jobs/[id]/logs": { ...e(VIEWER), query: "follow=0" },
  "GET /api/v1/jobs/[id]": e(VIEWER),
  "GET /api/v1/openapi.json": e(PUBLIC),
  "GET /api/v1/stacks/[stack]/deployments": e(VIEWER),
  "POST /api/v1/stacks/[stack]/deployments": e(DEPLOYER),
  "POST /api/v1/stacks/[stack]/rollback": e(DEPLOYER),
};

export const DUMMY_PARAMS: Record<string, string> = {
  "[id]": "pxfrolematrix0000000000000",
  "[stack]": "pxf-role-matrix-no-such-stack",
  "[trpc]": "pxfRoleMatrix.noSuchProcedure",
  "[...nextauth]": "pxf-role-matrix-no-such-action",
};
