-- AlterTable
ALTER TABLE "Seat" ADD COLUMN     "outsideProfessional" BOOLEAN NOT NULL DEFAULT false;
