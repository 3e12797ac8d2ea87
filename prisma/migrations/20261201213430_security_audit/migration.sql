-- CreateTable
CREATE TABLE "SecurityAuditRun" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "stackId" TEXT NOT NULL,
    "jobId" TEXT,
    "trigger" TEXT NOT NULL DEFAULT 'manual',
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME,
    "score" INTEGER,
    "passed" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "unknown" INTEGER NOT NULL DEFAULT 0,
    "results" TEXT NOT NULL DEFAULT '[]',
    "changes" TEXT NOT NULL DEFAULT '[]'
);

-- CreateTable
CREATE TABLE "AcceptedRisk" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "stackId" TEXT NOT NULL,
    "rule" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "acceptedBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" DATETIME,
    "revokedBy" TEXT
);

-- CreateIndex
CREATE INDEX "SecurityAuditRun_stackId_startedAt_idx" ON "SecurityAuditRun"("stackId", "startedAt");

-- CreateIndex
CREATE INDEX "AcceptedRisk_stackId_rule_subject_idx" ON "AcceptedRisk"("stackId", "rule", "subject");

