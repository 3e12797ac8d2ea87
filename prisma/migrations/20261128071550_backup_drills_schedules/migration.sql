-- AlterTable
ALTER TABLE "Backup" ADD COLUMN "drillAt" DATETIME;
ALTER TABLE "Backup" ADD COLUMN "drillDetails" TEXT;
ALTER TABLE "Backup" ADD COLUMN "drillStatus" TEXT;
ALTER TABLE "Backup" ADD COLUMN "tableChecksums" TEXT;

-- CreateTable
CREATE TABLE "BackupSchedule" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "stackId" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'backup',
    "cron" TEXT NOT NULL,
    "timezone" TEXT NOT NULL DEFAULT 'UTC',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "keepLast" INTEGER NOT NULL DEFAULT 7,
    "keepDaily" INTEGER NOT NULL DEFAULT 7,
    "keepWeekly" INTEGER NOT NULL DEFAULT 4,
    "lastRunAt" DATETIME,
    "lastJobId" TEXT,
    "lastResult" TEXT,
    "nextRunAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "BackupSchedule_stackId_idx" ON "BackupSchedule"("stackId");

