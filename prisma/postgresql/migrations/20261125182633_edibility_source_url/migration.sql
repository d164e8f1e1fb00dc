-- AlterTable
ALTER TABLE "Species" ADD COLUMN     "edibilitySourceUrl" TEXT;
