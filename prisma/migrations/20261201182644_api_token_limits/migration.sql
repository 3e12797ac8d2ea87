-- API tokens: expiry, scope, the address of the last use, and how each was created (written by hand:
-- `prisma migrate diff` does not run with the JS engine here; same SQL as it would generate, plus the backfill).

-- AlterTable
ALTER TABLE "ApiToken" ADD COLUMN "createdVia" TEXT NOT NULL DEFAULT 'panel';
ALTER TABLE "ApiToken" ADD COLUMN "expiresAt" DATETIME;
ALTER TABLE "ApiToken" ADD COLUMN "scope" TEXT;
ALTER TABLE "ApiToken" ADD COLUMN "lastUsedFrom" TEXT;

-- Backfill: tokens the CLI created (audited as actor "cli") are system tokens.
UPDATE "ApiToken" SET "createdVia" = 'cli'
WHERE "createdById" IS NULL
  AND "name" IN (SELECT "target" FROM "AuditEvent" WHERE "action" = 'token.create' AND "actorLabel" = 'cli');
-- Security: any other token without a creator outlived the user who made it: revoked, as a deletion now does.
UPDATE "ApiToken" SET "revokedAt" = strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')
WHERE "createdById" IS NULL AND "createdVia" = 'panel' AND "revokedAt" IS NULL;
-- Admin-role tokens always expire: existing ones get the default 90 days from now.
UPDATE "ApiToken" SET "expiresAt" = strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now', '+90 days')
WHERE "role" = 'ADMIN' AND "expiresAt" IS NULL AND "revokedAt" IS NULL;

-- LoginThrottle is re-keyed (address, account/address pair, account); its rows are short-lived waits,
-- so the table is recreated empty rather than converted (pending waits end at the upgrade).
DROP TABLE "LoginThrottle";
CREATE TABLE "LoginThrottle" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "lastFailure" DATETIME,
    "lockedUntil" DATETIME,
    "lastSuccessAt" DATETIME
);
