-- AlterTable
ALTER TABLE "TermOffer" ADD COLUMN     "valueJson" JSONB,
ALTER COLUMN "value" DROP NOT NULL;
