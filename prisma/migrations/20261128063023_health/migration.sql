-- CreateTable
CREATE TABLE "HealthSample" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "at" DATETIME NOT NULL,
    "stackId" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "value" REAL NOT NULL,
    "bucket" INTEGER NOT NULL DEFAULT 0
);

-- CreateTable
CREATE TABLE "AlertChannel" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "config" TEXT NOT NULL DEFAULT '{}',
    "secretEnc" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "AlertRule" (
    "kind" TEXT NOT NULL PRIMARY KEY,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "threshold" REAL NOT NULL,
    "consecutive" INTEGER NOT NULL DEFAULT 2,
    "repeatMinutes" INTEGER NOT NULL DEFAULT 60,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "AlertEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "stackId" TEXT NOT NULL,
    "ruleKind" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'firing',
    "message" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastNotifiedAt" DATETIME,
    "resolvedAt" DATETIME,
    "deliveries" TEXT NOT NULL DEFAULT '[]'
);

-- CreateIndex
CREATE INDEX "HealthSample_stackId_subject_metric_at_idx" ON "HealthSample"("stackId", "subject", "metric", "at");

-- CreateIndex
CREATE INDEX "HealthSample_bucket_at_idx" ON "HealthSample"("bucket", "at");

-- CreateIndex
CREATE UNIQUE INDEX "AlertChannel_name_key" ON "AlertChannel"("name");

-- CreateIndex
CREATE INDEX "AlertEvent_stackId_status_idx" ON "AlertEvent"("stackId", "status");

-- CreateIndex
CREATE INDEX "AlertEvent_startedAt_idx" ON "AlertEvent"("startedAt");

