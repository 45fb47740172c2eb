-- CreateEnum
CREATE TYPE "SessionPurpose" AS ENUM ('AGREEMENT', 'RENEWAL', 'AMENDMENT', 'TERMINATION');

-- CreateEnum
CREATE TYPE "DisputeKind" AS ENUM ('REFUSAL', 'NO_ANSWER', 'BARGAINING', 'PERFORMANCE');

-- CreateEnum
CREATE TYPE "DisputeState" AS ENUM ('APPLIED', 'COORDINATING', 'CONCLUDED', 'WITHDRAWN', 'REFERRED');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "SessionState" ADD VALUE 'AMENDED';
ALTER TYPE "SessionState" ADD VALUE 'TERMINATED';

-- AlterEnum (hand-written): the per-enterprise count is the parties' agreed practice, not law
-- (issue 20, item 2); votes counted that way keep their tally and are relabelled, not recounted.
ALTER TYPE "RatificationScope" RENAME VALUE 'INDUSTRY' TO 'AGREED_PER_ENTERPRISE';

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "NoticeKind" ADD VALUE 'AMENDMENT';
ALTER TYPE "NoticeKind" ADD VALUE 'TERMINATION';

-- AlterTable
ALTER TABLE "BargainingSession" ADD COLUMN     "purpose" "SessionPurpose" NOT NULL DEFAULT 'AGREEMENT',
ADD COLUMN     "ratificationPractice" "RatificationScope" NOT NULL DEFAULT 'ORDINARY',
ADD COLUMN     "suspension" JSONB,
ADD COLUMN     "terminationGround" TEXT,
ADD COLUMN     "terminationReason" TEXT;

-- CreateTable
CREATE TABLE "ReviewOpinion" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "bureauOrganizationId" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL,
    "issuedAt" TIMESTAMP(3) NOT NULL,
    "issuedById" TEXT NOT NULL,
    "items" JSONB NOT NULL,
    "answer" JSONB,
    "answeredAt" TIMESTAMP(3),
    "answeredById" TEXT,

    CONSTRAINT "ReviewOpinion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Dispute" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "kind" "DisputeKind" NOT NULL,
    "state" "DisputeState" NOT NULL DEFAULT 'APPLIED',
    "applicantSide" "Side" NOT NULL,
    "appliedById" TEXT NOT NULL,
    "appliedAt" TIMESTAMP(3) NOT NULL,
    "statement" TEXT NOT NULL,
    "bureauOrganizationId" TEXT NOT NULL,
    "acceptedAt" TIMESTAMP(3),
    "acceptedById" TEXT,
    "dueAt" TIMESTAMP(3),
    "extensionDays" INTEGER NOT NULL DEFAULT 0,
    "extensionReason" TEXT,
    "participants" JSONB NOT NULL DEFAULT '[]',
    "concludedAt" TIMESTAMP(3),
    "concludedById" TEXT,
    "settlementText" TEXT,
    "referredTo" TEXT,
    "referenceNumber" TEXT,
    "overdueNotifiedAt" TIMESTAMP(3),
    "withdrawnAt" TIMESTAMP(3),

    CONSTRAINT "Dispute_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ReviewOpinion_sessionId_issuedAt_idx" ON "ReviewOpinion"("sessionId", "issuedAt");

-- CreateIndex
CREATE INDEX "Dispute_sessionId_appliedAt_idx" ON "Dispute"("sessionId", "appliedAt");

-- CreateIndex
CREATE INDEX "Dispute_state_dueAt_idx" ON "Dispute"("state", "dueAt");

-- AddForeignKey
ALTER TABLE "ReviewOpinion" ADD CONSTRAINT "ReviewOpinion_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "BargainingSession"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReviewOpinion" ADD CONSTRAINT "ReviewOpinion_bureauOrganizationId_fkey" FOREIGN KEY ("bureauOrganizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Dispute" ADD CONSTRAINT "Dispute_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "BargainingSession"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Dispute" ADD CONSTRAINT "Dispute_bureauOrganizationId_fkey" FOREIGN KEY ("bureauOrganizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written: sessions that continue a series were renewals (the only kind before issue 20).
UPDATE "BargainingSession" SET "purpose" = 'RENEWAL' WHERE "continuesNoticeId" IS NOT NULL;

-- A termination's published ground (issue 20, item 5).
ALTER TABLE "NoticeVersion" ADD COLUMN "terminationGround" TEXT;
