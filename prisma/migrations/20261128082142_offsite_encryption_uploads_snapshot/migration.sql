-- CreateTable
CREATE TABLE "OffsiteStorage" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "stackId" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "endpoint" TEXT NOT NULL,
    "region" TEXT NOT NULL DEFAULT 'us-east-1',
    "bucket" TEXT NOT NULL,
    "prefix" TEXT NOT NULL DEFAULT '',
    "forcePathStyle" BOOLEAN NOT NULL DEFAULT true,
    "accessKeyId" TEXT NOT NULL,
    "secretAccessKeyEnc" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "HealthSnapshot" (
    "stackId" TEXT NOT NULL PRIMARY KEY,
    "at" DATETIME NOT NULL,
    "data" TEXT NOT NULL
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Stack" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "publicDomain" TEXT NOT NULL,
    "imageRepository" TEXT NOT NULL,
    "registryUrl" TEXT,
    "registryUsername" TEXT,
    "registryPasswordEnc" TEXT,
    "healthPath" TEXT NOT NULL DEFAULT '/api/v1/ping',
    "deploySettings" TEXT NOT NULL DEFAULT '{}',
    "backupEncryption" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Stack" ("createdAt", "deploySettings", "healthPath", "id", "imageRepository", "name", "publicDomain", "registryPasswordEnc", "registryUrl", "registryUsername", "updatedAt") SELECT "createdAt", "deploySettings", "healthPath", "id", "imageRepository", "name", "publicDomain", "registryPasswordEnc", "registryUrl", "registryUsername", "updatedAt" FROM "Stack";
DROP TABLE "Stack";
ALTER TABLE "new_Stack" RENAME TO "Stack";
CREATE UNIQUE INDEX "Stack_name_key" ON "Stack"("name");
CREATE TABLE "new_Backup" (
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
    "tableChecksums" TEXT,
    "drillStatus" TEXT,
    "drillAt" DATETIME,
    "drillDetails" TEXT,
    "encrypted" BOOLEAN NOT NULL DEFAULT false,
    "hostName" TEXT,
    "offsiteStatus" TEXT,
    "offsiteKey" TEXT,
    "offsiteError" TEXT,
    "offsiteAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" DATETIME
);
INSERT INTO "new_Backup" ("actorLabel", "createdAt", "database", "drillAt", "drillDetails", "drillStatus", "durationMs", "endedAt", "error", "fileName", "id", "jobId", "kind", "reason", "rowCounts", "serverVersion", "sha256", "sizeBytes", "stackId", "status", "tableChecksums", "verified") SELECT "actorLabel", "createdAt", "database", "drillAt", "drillDetails", "drillStatus", "durationMs", "endedAt", "error", "fileName", "id", "jobId", "kind", "reason", "rowCounts", "serverVersion", "sha256", "sizeBytes", "stackId", "status", "tableChecksums", "verified" FROM "Backup";
DROP TABLE "Backup";
ALTER TABLE "new_Backup" RENAME TO "Backup";
CREATE INDEX "Backup_stackId_createdAt_idx" ON "Backup"("stackId", "createdAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "OffsiteStorage_stackId_key" ON "OffsiteStorage"("stackId");

