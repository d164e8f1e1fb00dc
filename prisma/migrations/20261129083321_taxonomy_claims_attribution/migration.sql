-- CreateTable
CREATE TABLE "Synonym" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "speciesId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    CONSTRAINT "Synonym_speciesId_fkey" FOREIGN KEY ("speciesId") REFERENCES "Species" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "EdibilityClaim" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "speciesId" INTEGER NOT NULL,
    "sourceKey" TEXT NOT NULL,
    "sourceRef" TEXT NOT NULL,
    "sourceTitle" TEXT NOT NULL,
    "sourceUrl" TEXT,
    "edibility" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "EdibilityClaim_speciesId_fkey" FOREIGN KEY ("speciesId") REFERENCES "Species" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Species" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "scientificName" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "rank" TEXT NOT NULL DEFAULT 'SPECIES',
    "parentId" INTEGER,
    "genus" TEXT NOT NULL,
    "family" TEXT,
    "location" TEXT,
    "dimensions" TEXT,
    "description" TEXT,
    "edibility" TEXT NOT NULL DEFAULT 'UNKNOWN',
    "edibilitySource" TEXT,
    "edibilitySourceUrl" TEXT,
    "edibilityNote" TEXT,
    "searchText" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Species_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Species" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Species" ("createdAt", "description", "dimensions", "edibility", "edibilityNote", "edibilitySource", "edibilitySourceUrl", "family", "genus", "id", "location", "scientificName", "searchText", "slug", "updatedAt") SELECT "createdAt", "description", "dimensions", "edibility", "edibilityNote", "edibilitySource", "edibilitySourceUrl", "family", "genus", "id", "location", "scientificName", "searchText", "slug", "updatedAt" FROM "Species";
DROP TABLE "Species";
ALTER TABLE "new_Species" RENAME TO "Species";
CREATE UNIQUE INDEX "Species_scientificName_key" ON "Species"("scientificName");
CREATE UNIQUE INDEX "Species_slug_key" ON "Species"("slug");
CREATE INDEX "Species_family_idx" ON "Species"("family");
CREATE INDEX "Species_edibility_idx" ON "Species"("edibility");
CREATE INDEX "Species_genus_idx" ON "Species"("genus");
CREATE INDEX "Species_rank_idx" ON "Species"("rank");
CREATE INDEX "Species_parentId_idx" ON "Species"("parentId");
CREATE TABLE "new_PhotoOrigin" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "photoId" INTEGER NOT NULL,
    "sourceId" INTEGER NOT NULL,
    "sourceUrl" TEXT NOT NULL,
    "licence" TEXT NOT NULL,
    "attribution" TEXT NOT NULL,
    "photographer" TEXT,
    "licenceCode" TEXT,
    "licenceUrl" TEXT,
    "originalUrl" TEXT,
    "nonCommercial" BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT "PhotoOrigin_photoId_fkey" FOREIGN KEY ("photoId") REFERENCES "Photo" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "PhotoOrigin_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "DataSource" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_PhotoOrigin" ("attribution", "id", "licence", "photoId", "sourceId", "sourceUrl") SELECT "attribution", "id", "licence", "photoId", "sourceId", "sourceUrl" FROM "PhotoOrigin";
DROP TABLE "PhotoOrigin";
ALTER TABLE "new_PhotoOrigin" RENAME TO "PhotoOrigin";
CREATE UNIQUE INDEX "PhotoOrigin_sourceId_sourceUrl_key" ON "PhotoOrigin"("sourceId", "sourceUrl");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "Synonym_name_key" ON "Synonym"("name");

-- CreateIndex
CREATE INDEX "Synonym_speciesId_idx" ON "Synonym"("speciesId");

-- CreateIndex
CREATE UNIQUE INDEX "EdibilityClaim_speciesId_sourceKey_sourceRef_key" ON "EdibilityClaim"("speciesId", "sourceKey", "sourceRef");
