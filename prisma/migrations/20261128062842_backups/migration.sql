-- CreateTable
CREATE TABLE "Backup" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "stackId" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'mysql',
    "status" TEXT NOT NULL DEFAULT 'running',
    "jobId" TEXT,
    "fileName" TEXT NOT NULL,
    "sizeBytes" REAL,
    "sha256" TEXT,
    "verified" BOOLEAN NOT NULL DEFAULT false,
    "serverVersion" TEXT,
    "database" TEXT,
    "rowCounts" TEXT NOT NULL DEFAULT '{}',
    "reason" TEXT NOT NULL DEFAULT 'manual',
    "error" TEXT,
    "actorLabel" TEXT NOT NULL,
    "durationMs" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" DATETIME
);

-- CreateIndex
CREATE INDEX "Backup_stackId_createdAt_idx" ON "Backup"("stackId", "createdAt");

