-- CreateTable
CREATE TABLE "Species" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "scientificName" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "genus" TEXT NOT NULL,
    "family" TEXT,
    "location" TEXT,
    "dimensions" TEXT,
    "description" TEXT,
    "edibility" TEXT NOT NULL DEFAULT 'UNKNOWN',
    "edibilitySource" TEXT,
    "edibilityNote" TEXT,
    "searchText" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "CommonName" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "speciesId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    CONSTRAINT "CommonName_speciesId_fkey" FOREIGN KEY ("speciesId") REFERENCES "Species" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Lookalike" (
    "fromId" INTEGER NOT NULL,
    "toId" INTEGER NOT NULL,
    "note" TEXT,
    "source" TEXT,

    PRIMARY KEY ("fromId", "toId"),
    CONSTRAINT "Lookalike_fromId_fkey" FOREIGN KEY ("fromId") REFERENCES "Species" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Lookalike_toId_fkey" FOREIGN KEY ("toId") REFERENCES "Species" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SpeciesRecord" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "speciesId" INTEGER NOT NULL,
    "sourceId" INTEGER NOT NULL,
    "sourceUrl" TEXT,
    "fetchedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "SpeciesRecord_speciesId_fkey" FOREIGN KEY ("speciesId") REFERENCES "Species" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "SpeciesRecord_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "DataSource" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Photo" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "contentHash" TEXT NOT NULL,
    "speciesId" INTEGER NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "format" TEXT NOT NULL,
    "byteSize" INTEGER NOT NULL,
    "filePath" TEXT NOT NULL,
    "trainPath" TEXT,
    "thumbPath" TEXT,
    "status" TEXT NOT NULL DEFAULT 'APPROVED',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Photo_speciesId_fkey" FOREIGN KEY ("speciesId") REFERENCES "Species" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PhotoOrigin" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "photoId" INTEGER NOT NULL,
    "sourceId" INTEGER NOT NULL,
    "sourceUrl" TEXT NOT NULL,
    "licence" TEXT NOT NULL,
    "attribution" TEXT NOT NULL,
    CONSTRAINT "PhotoOrigin_photoId_fkey" FOREIGN KEY ("photoId") REFERENCES "Photo" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "PhotoOrigin_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "DataSource" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DataSource" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "homepage" TEXT,
    "licence" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "ScrapeRun" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "sourceId" INTEGER NOT NULL,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME,
    "status" TEXT NOT NULL DEFAULT 'RUNNING',
    "summary" TEXT,
    CONSTRAINT "ScrapeRun_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "DataSource" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CrawlTask" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "sourceId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "context" TEXT,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "CrawlTask_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "DataSource" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Species_scientificName_key" ON "Species"("scientificName");

-- CreateIndex
CREATE UNIQUE INDEX "Species_slug_key" ON "Species"("slug");

-- CreateIndex
CREATE INDEX "Species_family_idx" ON "Species"("family");

-- CreateIndex
CREATE INDEX "Species_edibility_idx" ON "Species"("edibility");

-- CreateIndex
CREATE UNIQUE INDEX "CommonName_speciesId_name_key" ON "CommonName"("speciesId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "SpeciesRecord_speciesId_sourceId_key" ON "SpeciesRecord"("speciesId", "sourceId");

-- CreateIndex
CREATE UNIQUE INDEX "Photo_contentHash_key" ON "Photo"("contentHash");

-- CreateIndex
CREATE INDEX "Photo_speciesId_status_idx" ON "Photo"("speciesId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "PhotoOrigin_sourceId_sourceUrl_key" ON "PhotoOrigin"("sourceId", "sourceUrl");

-- CreateIndex
CREATE UNIQUE INDEX "DataSource_key_key" ON "DataSource"("key");

-- CreateIndex
CREATE INDEX "CrawlTask_sourceId_status_kind_idx" ON "CrawlTask"("sourceId", "status", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "CrawlTask_sourceId_url_key" ON "CrawlTask"("sourceId", "url");
