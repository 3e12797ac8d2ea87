-- AlterTable
ALTER TABLE "SecurityAuditRun" ADD COLUMN "runningFor" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "SecurityAuditRun_runningFor_key" ON "SecurityAuditRun"("runningFor");

