-- AlterTable
ALTER TABLE "Invitation" ADD COLUMN     "forWorker" BOOLEAN NOT NULL DEFAULT false;
