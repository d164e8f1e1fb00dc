-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Edibility" AS ENUM ('CHOICE', 'EDIBLE', 'INEDIBLE', 'POISONOUS', 'DEADLY', 'PSYCHOACTIVE', 'UNKNOWN');

-- CreateEnum
CREATE TYPE "PhotoStatus" AS ENUM ('APPROVED', 'PENDING_REVIEW', 'REJECTED');

-- CreateEnum
CREATE TYPE "RunStatus" AS ENUM ('RUNNING', 'FINISHED', 'FAILED');

-- CreateEnum
CREATE TYPE "TaskKind" AS ENUM ('NAMELIST', 'SPECIES_PAGE', 'PHOTO');

-- CreateEnum
CREATE TYPE "TaskStatus" AS ENUM ('PENDING', 'DONE', 'FAILED', 'SKIPPED');

-- CreateTable
CREATE TABLE "Species" (
    "id" SERIAL NOT NULL,
    "scientificName" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "genus" TEXT NOT NULL,
    "family" TEXT,
    "location" TEXT,
    "dimensions" TEXT,
    "description" TEXT,
    "edibility" "Edibility" NOT NULL DEFAULT 'UNKNOWN',
    "edibilitySource" TEXT,
    "edibilityNote" TEXT,
    "searchText" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Species_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CommonName" (
    "id" SERIAL NOT NULL,
    "speciesId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "CommonName_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Lookalike" (
    "fromId" INTEGER NOT NULL,
    "toId" INTEGER NOT NULL,
    "note" TEXT,
    "source" TEXT,

    CONSTRAINT "Lookalike_pkey" PRIMARY KEY ("fromId","toId")
);

-- CreateTable
CREATE TABLE "SpeciesRecord" (
    "id" SERIAL NOT NULL,
    "speciesId" INTEGER NOT NULL,
    "sourceId" INTEGER NOT NULL,
    "sourceUrl" TEXT,
    "fetchedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SpeciesRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Photo" (
    "id" SERIAL NOT NULL,
    "contentHash" TEXT NOT NULL,
    "speciesId" INTEGER NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "format" TEXT NOT NULL,
    "byteSize" INTEGER NOT NULL,
    "filePath" TEXT NOT NULL,
    "trainPath" TEXT,
    "thumbPath" TEXT,
    "status" "PhotoStatus" NOT NULL DEFAULT 'APPROVED',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Photo_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PhotoOrigin" (
    "id" SERIAL NOT NULL,
    "photoId" INTEGER NOT NULL,
    "sourceId" INTEGER NOT NULL,
    "sourceUrl" TEXT NOT NULL,
    "licence" TEXT NOT NULL,
    "attribution" TEXT NOT NULL,

    CONSTRAINT "PhotoOrigin_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DataSource" (
    "id" SERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "homepage" TEXT,
    "licence" TEXT NOT NULL,

    CONSTRAINT "DataSource_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ScrapeRun" (
    "id" SERIAL NOT NULL,
    "sourceId" INTEGER NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),
    "status" "RunStatus" NOT NULL DEFAULT 'RUNNING',
    "summary" TEXT,

    CONSTRAINT "ScrapeRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CrawlTask" (
    "id" SERIAL NOT NULL,
    "sourceId" INTEGER NOT NULL,
    "kind" "TaskKind" NOT NULL,
    "url" TEXT NOT NULL,
    "status" "TaskStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "context" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CrawlTask_pkey" PRIMARY KEY ("id")
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

-- AddForeignKey
ALTER TABLE "CommonName" ADD CONSTRAINT "CommonName_speciesId_fkey" FOREIGN KEY ("speciesId") REFERENCES "Species"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Lookalike" ADD CONSTRAINT "Lookalike_fromId_fkey" FOREIGN KEY ("fromId") REFERENCES "Species"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Lookalike" ADD CONSTRAINT "Lookalike_toId_fkey" FOREIGN KEY ("toId") REFERENCES "Species"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SpeciesRecord" ADD CONSTRAINT "SpeciesRecord_speciesId_fkey" FOREIGN KEY ("speciesId") REFERENCES "Species"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SpeciesRecord" ADD CONSTRAINT "SpeciesRecord_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "DataSource"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Photo" ADD CONSTRAINT "Photo_speciesId_fkey" FOREIGN KEY ("speciesId") REFERENCES "Species"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PhotoOrigin" ADD CONSTRAINT "PhotoOrigin_photoId_fkey" FOREIGN KEY ("photoId") REFERENCES "Photo"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PhotoOrigin" ADD CONSTRAINT "PhotoOrigin_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "DataSource"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScrapeRun" ADD CONSTRAINT "ScrapeRun_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "DataSource"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CrawlTask" ADD CONSTRAINT "CrawlTask_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "DataSource"("id") ON DELETE CASCADE ON UPDATE CASCADE;
