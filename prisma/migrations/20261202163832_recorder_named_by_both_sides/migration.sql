-- AlterTable
ALTER TABLE "Seat" ADD COLUMN     "confirmedAt" TIMESTAMP(3),
ADD COLUMN     "confirmedById" TEXT,
ADD COLUMN     "nominatedBySide" "Side";

-- Seats appointed before this migration are in office: they count as confirmed when appointed.
UPDATE "Seat" SET "confirmedAt" = "appointedAt" WHERE "confirmedAt" IS NULL;
