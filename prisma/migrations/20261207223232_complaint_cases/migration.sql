-- CreateEnum
CREATE TYPE "ComplaintKind" AS ENUM ('COMPLAINT', 'PENALTY_APPEAL');

-- CreateEnum
CREATE TYPE "ComplaintState" AS ENUM ('FILED', 'ANSWERED', 'ACCEPTED', 'WITH_UNION', 'RESOLVED', 'WITH_BUREAU', 'CLOSED_BY_BUREAU');

-- CreateTable
CREATE TABLE "ComplaintCase" (
    "id" TEXT NOT NULL,
    "number" TEXT NOT NULL,
    "receiptHash" TEXT NOT NULL,
    "kind" "ComplaintKind" NOT NULL,
    "state" "ComplaintState" NOT NULL DEFAULT 'FILED',
    "noticeId" TEXT NOT NULL,
    "noticeVersionId" TEXT NOT NULL,
    "clause" TEXT NOT NULL,
    "happenedOn" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "reference" TEXT,
    "identityShared" BOOLEAN NOT NULL DEFAULT false,
    "workerId" TEXT NOT NULL,
    "platformOrganizationId" TEXT NOT NULL,
    "unionOrganizationIds" TEXT[],
    "filedAt" TIMESTAMP(3) NOT NULL,
    "dueAt" TIMESTAMP(3),
    "responseSource" TEXT NOT NULL,
    "answeredAt" TIMESTAMP(3),
    "answer" TEXT,
    "answeredById" TEXT,
    "escalatedAt" TIMESTAMP(3),
    "overdueAt" TIMESTAMP(3),
    "bureauAt" TIMESTAMP(3),
    "closedAt" TIMESTAMP(3),
    "outcome" TEXT,

    CONSTRAINT "ComplaintCase_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ComplaintPhoto" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "bytes" BYTEA NOT NULL,
    "size" INTEGER NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ComplaintPhoto_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ComplaintAuditEvent" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "actorId" TEXT,
    "at" TIMESTAMP(3) NOT NULL,
    "ip" TEXT,
    "userAgent" TEXT,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "ComplaintAuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ComplaintCase_number_key" ON "ComplaintCase"("number");

-- CreateIndex
CREATE UNIQUE INDEX "ComplaintCase_receiptHash_key" ON "ComplaintCase"("receiptHash");

-- CreateIndex
CREATE INDEX "ComplaintCase_noticeId_clause_idx" ON "ComplaintCase"("noticeId", "clause");

-- CreateIndex
CREATE INDEX "ComplaintCase_state_dueAt_idx" ON "ComplaintCase"("state", "dueAt");

-- CreateIndex
CREATE INDEX "ComplaintCase_workerId_filedAt_idx" ON "ComplaintCase"("workerId", "filedAt");

-- CreateIndex
CREATE INDEX "ComplaintCase_platformOrganizationId_filedAt_idx" ON "ComplaintCase"("platformOrganizationId", "filedAt");

-- CreateIndex
CREATE INDEX "ComplaintPhoto_caseId_idx" ON "ComplaintPhoto"("caseId");

-- CreateIndex
CREATE UNIQUE INDEX "ComplaintAuditEvent_caseId_seq_key" ON "ComplaintAuditEvent"("caseId", "seq");

-- AddForeignKey
ALTER TABLE "ComplaintCase" ADD CONSTRAINT "ComplaintCase_workerId_fkey" FOREIGN KEY ("workerId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ComplaintPhoto" ADD CONSTRAINT "ComplaintPhoto_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "ComplaintCase"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ComplaintAuditEvent" ADD CONSTRAINT "ComplaintAuditEvent_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "ComplaintCase"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written: a case's audit chain is append-only, like a session's and an organization's.
CREATE OR REPLACE FUNCTION xs_complaint_audit_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'ComplaintAuditEvent is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "ComplaintAuditEvent_no_update_or_delete"
  BEFORE UPDATE OR DELETE ON "ComplaintAuditEvent"
  FOR EACH ROW EXECUTE FUNCTION xs_complaint_audit_append_only();

CREATE TRIGGER "ComplaintAuditEvent_no_truncate"
  BEFORE TRUNCATE ON "ComplaintAuditEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION xs_complaint_audit_append_only();
