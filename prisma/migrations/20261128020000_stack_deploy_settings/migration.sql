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
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Stack" ("createdAt", "healthPath", "id", "imageRepository", "name", "publicDomain", "registryPasswordEnc", "registryUrl", "registryUsername", "updatedAt") SELECT "createdAt", "healthPath", "id", "imageRepository", "name", "publicDomain", "registryPasswordEnc", "registryUrl", "registryUsername", "updatedAt" FROM "Stack";
DROP TABLE "Stack";
ALTER TABLE "new_Stack" RENAME TO "Stack";
CREATE UNIQUE INDEX "Stack_name_key" ON "Stack"("name");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

