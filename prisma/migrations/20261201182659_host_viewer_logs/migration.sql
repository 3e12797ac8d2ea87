-- AlterTable
ALTER TABLE "Host" ADD COLUMN "viewerLogsAllowed" BOOLEAN NOT NULL DEFAULT false;
