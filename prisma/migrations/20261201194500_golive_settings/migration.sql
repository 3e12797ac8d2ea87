-- AlterTable
ALTER TABLE "Stack" ADD COLUMN "goLiveSettings" TEXT NOT NULL DEFAULT '{}';
ALTER TABLE "Stack" ADD COLUMN "smokePasswordEnc" TEXT;
