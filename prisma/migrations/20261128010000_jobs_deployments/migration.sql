-- CreateTable
CREATE TABLE "Job" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "title" TEXT NOT NULL,
    "stackId" TEXT,
    "actorId" TEXT,
    "actorLabel" TEXT NOT NULL,
    "progress" REAL NOT NULL DEFAULT 0,
    "steps" TEXT NOT NULL DEFAULT '[]',
    "error" TEXT,
    "result" TEXT NOT NULL DEFAULT '{}',
    "cancelRequested" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" DATETIME,
    "endedAt" DATETIME
);

-- CreateTable
CREATE TABLE "JobLogLine" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "jobId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "level" TEXT NOT NULL DEFAULT 'info',
    "text" TEXT NOT NULL,
    CONSTRAINT "JobLogLine_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "Job" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "StackLock" (
    "stackId" TEXT NOT NULL PRIMARY KEY,
    "holderLabel" TEXT NOT NULL,
    "holderId" TEXT,
    "jobId" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "acquiredAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Deployment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "stackId" TEXT NOT NULL,
    "jobId" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'deploy',
    "tag" TEXT NOT NULL,
    "digest" TEXT,
    "previousTag" TEXT,
    "previousDeploymentId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'running',
    "actorLabel" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" DATETIME,
    "durationMs" INTEGER,
    "error" TEXT,
    "evidence" TEXT NOT NULL DEFAULT '{}'
);

-- CreateIndex
CREATE INDEX "Job_stackId_createdAt_idx" ON "Job"("stackId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "JobLogLine_jobId_seq_key" ON "JobLogLine"("jobId", "seq");

-- CreateIndex
CREATE UNIQUE INDEX "Deployment_jobId_key" ON "Deployment"("jobId");

-- CreateIndex
CREATE INDEX "Deployment_stackId_startedAt_idx" ON "Deployment"("stackId", "startedAt");

