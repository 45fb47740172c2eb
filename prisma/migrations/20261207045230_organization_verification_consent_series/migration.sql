-- CreateEnum
CREATE TYPE "VerificationStatus" AS ENUM ('UNVERIFIED', 'PENDING', 'VERIFIED', 'REJECTED');

-- CreateEnum
CREATE TYPE "VerificationDecision" AS ENUM ('PENDING', 'APPROVED', 'REJECTED', 'WITHDRAWN');

-- CreateEnum
CREATE TYPE "PartyConsent" AS ENUM ('INVITED', 'ACCEPTED', 'DECLINED');

-- DropIndex
DROP INDEX "Notice_seriesKey_key";

-- AlterTable (hand-edited: the old flag becomes the status before it is dropped)
ALTER TABLE "Organization" ADD COLUMN     "creditCode" TEXT,
ADD COLUMN     "verification" "VerificationStatus" NOT NULL DEFAULT 'UNVERIFIED',
ADD COLUMN     "verifiedAt" TIMESTAMP(3);
UPDATE "Organization" SET "verification" = 'VERIFIED', "verifiedAt" = "updatedAt" WHERE "verified";
ALTER TABLE "Organization" DROP COLUMN "verified";

-- AlterTable
ALTER TABLE "BargainingSession" ADD COLUMN     "continuesNoticeId" TEXT;

-- AlterTable
ALTER TABLE "SessionParty" ADD COLUMN     "answeredAt" TIMESTAMP(3),
ADD COLUMN     "answeredById" TEXT,
ADD COLUMN     "consent" "PartyConsent" NOT NULL DEFAULT 'INVITED',
ADD COLUMN     "declineReason" TEXT;
-- Hand-written: the proposer agreed by proposing; the parties of an answered proposal answered with it.
UPDATE "SessionParty" p SET "consent" = 'ACCEPTED', "answeredAt" = COALESCE(s."answeredAt", s."proposedAt")
  FROM "BargainingSession" s
  WHERE s.id = p."sessionId" AND p.role <> 'OBSERVER' AND (p."isProposer" OR s.state NOT IN ('PROPOSED', 'DECLINED', 'WITHDRAWN'));

-- CreateTable
CREATE TABLE "OrganizationVerification" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "status" "VerificationDecision" NOT NULL DEFAULT 'PENDING',
    "registeredName" TEXT NOT NULL,
    "creditCode" TEXT NOT NULL,
    "registrationAuthority" TEXT NOT NULL,
    "parentUnionName" TEXT,
    "contactName" TEXT NOT NULL,
    "contactPhone" TEXT NOT NULL,
    "contactEmail" TEXT NOT NULL,
    "submittedById" TEXT NOT NULL,
    "submittedAt" TIMESTAMP(3) NOT NULL,
    "decidedById" TEXT,
    "decidedAt" TIMESTAMP(3),
    "decidedAs" TEXT,
    "reason" TEXT,

    CONSTRAINT "OrganizationVerification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OrganizationAuditEvent" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "actorId" TEXT,
    "at" TIMESTAMP(3) NOT NULL,
    "ip" TEXT,
    "userAgent" TEXT,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "OrganizationAuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "OrganizationVerification_organizationId_submittedAt_idx" ON "OrganizationVerification"("organizationId", "submittedAt");

-- CreateIndex
CREATE INDEX "OrganizationVerification_status_submittedAt_idx" ON "OrganizationVerification"("status", "submittedAt");

-- CreateIndex
CREATE UNIQUE INDEX "OrganizationAuditEvent_organizationId_seq_key" ON "OrganizationAuditEvent"("organizationId", "seq");

-- CreateIndex
CREATE INDEX "Notice_seriesKey_idx" ON "Notice"("seriesKey");

-- AddForeignKey
ALTER TABLE "OrganizationVerification" ADD CONSTRAINT "OrganizationVerification_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OrganizationAuditEvent" ADD CONSTRAINT "OrganizationAuditEvent_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BargainingSession" ADD CONSTRAINT "BargainingSession_continuesNoticeId_fkey" FOREIGN KEY ("continuesNoticeId") REFERENCES "Notice"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written: one verified organization per credit code.
CREATE UNIQUE INDEX "Organization_creditCode_verified_key" ON "Organization"("creditCode") WHERE "verification" = 'VERIFIED';

-- Hand-written: an organization's audit chain is append-only, like a session's.
CREATE OR REPLACE FUNCTION xs_organization_audit_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'OrganizationAuditEvent is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "OrganizationAuditEvent_no_update_or_delete"
  BEFORE UPDATE OR DELETE ON "OrganizationAuditEvent"
  FOR EACH ROW EXECUTE FUNCTION xs_organization_audit_append_only();

CREATE TRIGGER "OrganizationAuditEvent_no_truncate"
  BEFORE TRUNCATE ON "OrganizationAuditEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION xs_organization_audit_append_only();
