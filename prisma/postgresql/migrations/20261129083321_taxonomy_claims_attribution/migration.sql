-- CreateEnum
CREATE TYPE "TaxonRank" AS ENUM ('SPECIES', 'GROUP', 'SECTION', 'GENUS');

-- AlterTable
ALTER TABLE "Species" ADD COLUMN     "parentId" INTEGER,
ADD COLUMN     "rank" "TaxonRank" NOT NULL DEFAULT 'SPECIES';

-- AlterTable
ALTER TABLE "PhotoOrigin" ADD COLUMN     "licenceCode" TEXT,
ADD COLUMN     "licenceUrl" TEXT,
ADD COLUMN     "nonCommercial" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "originalUrl" TEXT,
ADD COLUMN     "photographer" TEXT;

-- CreateTable
CREATE TABLE "Synonym" (
    "id" SERIAL NOT NULL,
    "speciesId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "Synonym_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EdibilityClaim" (
    "id" SERIAL NOT NULL,
    "speciesId" INTEGER NOT NULL,
    "sourceKey" TEXT NOT NULL,
    "sourceRef" TEXT NOT NULL,
    "sourceTitle" TEXT NOT NULL,
    "sourceUrl" TEXT,
    "edibility" "Edibility" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EdibilityClaim_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Synonym_name_key" ON "Synonym"("name");

-- CreateIndex
CREATE INDEX "Synonym_speciesId_idx" ON "Synonym"("speciesId");

-- CreateIndex
CREATE UNIQUE INDEX "EdibilityClaim_speciesId_sourceKey_sourceRef_key" ON "EdibilityClaim"("speciesId", "sourceKey", "sourceRef");

-- CreateIndex
CREATE INDEX "Species_genus_idx" ON "Species"("genus");

-- CreateIndex
CREATE INDEX "Species_rank_idx" ON "Species"("rank");

-- CreateIndex
CREATE INDEX "Species_parentId_idx" ON "Species"("parentId");

-- AddForeignKey
ALTER TABLE "Species" ADD CONSTRAINT "Species_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Species"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Synonym" ADD CONSTRAINT "Synonym_speciesId_fkey" FOREIGN KEY ("speciesId") REFERENCES "Species"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EdibilityClaim" ADD CONSTRAINT "EdibilityClaim_speciesId_fkey" FOREIGN KEY ("speciesId") REFERENCES "Species"("id") ON DELETE CASCADE ON UPDATE CASCADE;
