-- CreateEnum
CREATE TYPE "RatificationScope" AS ENUM ('ORDINARY', 'INDUSTRY');

-- CreateEnum
CREATE TYPE "BallotChoice" AS ENUM ('YES', 'NO', 'ABSTAIN');

-- CreateEnum
CREATE TYPE "NoticeKind" AS ENUM ('AGREEMENT', 'CORRECTION');

-- CreateEnum
CREATE TYPE "FeedbackStatus" AS ENUM ('PENDING', 'PUBLISHED', 'REJECTED');

-- CreateTable
CREATE TABLE "RatificationVote" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "versionId" TEXT NOT NULL,
    "contentHash" TEXT NOT NULL,
    "scope" "RatificationScope" NOT NULL,
    "secret" BOOLEAN NOT NULL,
    "openedAt" TIMESTAMP(3) NOT NULL,
    "openedById" TEXT NOT NULL,
    "closesAt" TIMESTAMP(3) NOT NULL,
    "closedAt" TIMESTAMP(3),
    "passed" BOOLEAN,
    "outcome" JSONB,

    CONSTRAINT "RatificationVote_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RatificationVoter" (
    "id" TEXT NOT NULL,
    "voteId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "enterpriseId" TEXT NOT NULL,
    "votedAt" TIMESTAMP(3),
    "choice" "BallotChoice",

    CONSTRAINT "RatificationVoter_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RatificationBallot" (
    "id" TEXT NOT NULL,
    "voteId" TEXT NOT NULL,
    "enterpriseId" TEXT NOT NULL,
    "choice" "BallotChoice" NOT NULL,

    CONSTRAINT "RatificationBallot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AgreementSignature" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "voteId" TEXT NOT NULL,
    "side" "Side" NOT NULL,
    "userId" TEXT NOT NULL,
    "signedAt" TIMESTAMP(3) NOT NULL,
    "contentHash" TEXT NOT NULL,

    CONSTRAINT "AgreementSignature_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Notice" (
    "id" TEXT NOT NULL,
    "seriesKey" TEXT NOT NULL,
    "industry" "Industry" NOT NULL,
    "regionCode" TEXT NOT NULL,
    "platformSlugs" TEXT[],
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Notice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NoticeVersion" (
    "id" TEXT NOT NULL,
    "noticeId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "previousId" TEXT,
    "sessionId" TEXT NOT NULL,
    "kind" "NoticeKind" NOT NULL,
    "title" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "terms" JSONB NOT NULL,
    "industry" "Industry" NOT NULL,
    "regionCode" TEXT NOT NULL,
    "platformSlugs" TEXT[],
    "parties" JSONB NOT NULL,
    "signatures" JSONB NOT NULL,
    "ratification" JSONB NOT NULL,
    "agreementHash" TEXT NOT NULL,
    "correctionReason" TEXT,
    "publishedAt" TIMESTAMP(3) NOT NULL,
    "effectiveFrom" TIMESTAMP(3) NOT NULL,
    "effectiveUntil" TIMESTAMP(3) NOT NULL,
    "contentHash" TEXT NOT NULL,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "NoticeVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NoticeCorrection" (
    "id" TEXT NOT NULL,
    "noticeVersionId" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "terms" JSONB NOT NULL,
    "reason" TEXT NOT NULL,
    "proposedById" TEXT NOT NULL,
    "proposedSide" "Side" NOT NULL,
    "proposedAt" TIMESTAMP(3) NOT NULL,
    "contentHash" TEXT NOT NULL,
    "confirmedAt" TIMESTAMP(3),
    "confirmedById" TEXT,
    "withdrawnAt" TIMESTAMP(3),

    CONSTRAINT "NoticeCorrection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NoticeFeedback" (
    "id" TEXT NOT NULL,
    "noticeVersionId" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "status" "FeedbackStatus" NOT NULL DEFAULT 'PENDING',
    "createdAt" TIMESTAMP(3) NOT NULL,
    "moderatedAt" TIMESTAMP(3),
    "moderatedById" TEXT,

    CONSTRAINT "NoticeFeedback_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RatificationVote_sessionId_openedAt_idx" ON "RatificationVote"("sessionId", "openedAt");

-- CreateIndex
CREATE INDEX "RatificationVote_closedAt_closesAt_idx" ON "RatificationVote"("closedAt", "closesAt");

-- CreateIndex
CREATE INDEX "RatificationVoter_userId_idx" ON "RatificationVoter"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "RatificationVoter_voteId_userId_key" ON "RatificationVoter"("voteId", "userId");

-- CreateIndex
CREATE INDEX "RatificationBallot_voteId_idx" ON "RatificationBallot"("voteId");

-- CreateIndex
CREATE UNIQUE INDEX "AgreementSignature_voteId_side_key" ON "AgreementSignature"("voteId", "side");

-- CreateIndex
CREATE UNIQUE INDEX "Notice_seriesKey_key" ON "Notice"("seriesKey");

-- CreateIndex
CREATE UNIQUE INDEX "NoticeVersion_previousId_key" ON "NoticeVersion"("previousId");

-- CreateIndex
CREATE INDEX "NoticeVersion_industry_regionCode_publishedAt_idx" ON "NoticeVersion"("industry", "regionCode", "publishedAt");

-- CreateIndex
CREATE INDEX "NoticeVersion_publishedAt_idx" ON "NoticeVersion"("publishedAt");

-- CreateIndex
CREATE INDEX "NoticeVersion_sessionId_idx" ON "NoticeVersion"("sessionId");

-- CreateIndex
CREATE UNIQUE INDEX "NoticeVersion_noticeId_version_key" ON "NoticeVersion"("noticeId", "version");

-- CreateIndex
CREATE INDEX "NoticeCorrection_sessionId_proposedAt_idx" ON "NoticeCorrection"("sessionId", "proposedAt");

-- CreateIndex
CREATE INDEX "NoticeFeedback_noticeVersionId_status_createdAt_idx" ON "NoticeFeedback"("noticeVersionId", "status", "createdAt");

-- AddForeignKey
ALTER TABLE "RatificationVote" ADD CONSTRAINT "RatificationVote_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "BargainingSession"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RatificationVote" ADD CONSTRAINT "RatificationVote_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "DraftVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RatificationVoter" ADD CONSTRAINT "RatificationVoter_voteId_fkey" FOREIGN KEY ("voteId") REFERENCES "RatificationVote"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RatificationVoter" ADD CONSTRAINT "RatificationVoter_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RatificationVoter" ADD CONSTRAINT "RatificationVoter_enterpriseId_fkey" FOREIGN KEY ("enterpriseId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RatificationBallot" ADD CONSTRAINT "RatificationBallot_voteId_fkey" FOREIGN KEY ("voteId") REFERENCES "RatificationVote"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgreementSignature" ADD CONSTRAINT "AgreementSignature_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "BargainingSession"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgreementSignature" ADD CONSTRAINT "AgreementSignature_voteId_fkey" FOREIGN KEY ("voteId") REFERENCES "RatificationVote"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgreementSignature" ADD CONSTRAINT "AgreementSignature_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NoticeVersion" ADD CONSTRAINT "NoticeVersion_noticeId_fkey" FOREIGN KEY ("noticeId") REFERENCES "Notice"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NoticeVersion" ADD CONSTRAINT "NoticeVersion_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "BargainingSession"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NoticeVersion" ADD CONSTRAINT "NoticeVersion_previousId_fkey" FOREIGN KEY ("previousId") REFERENCES "NoticeVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NoticeCorrection" ADD CONSTRAINT "NoticeCorrection_noticeVersionId_fkey" FOREIGN KEY ("noticeVersionId") REFERENCES "NoticeVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NoticeFeedback" ADD CONSTRAINT "NoticeFeedback_noticeVersionId_fkey" FOREIGN KEY ("noticeVersionId") REFERENCES "NoticeVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written: published notices are immutable. The database itself refuses to change or remove a
-- notice series or a published version, whoever asks; a correction is a new version (decision 016).
CREATE OR REPLACE FUNCTION xs_notice_immutable() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '% is immutable once published: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "NoticeVersion_no_update_or_delete"
  BEFORE UPDATE OR DELETE ON "NoticeVersion"
  FOR EACH ROW EXECUTE FUNCTION xs_notice_immutable();

CREATE TRIGGER "NoticeVersion_no_truncate"
  BEFORE TRUNCATE ON "NoticeVersion"
  FOR EACH STATEMENT EXECUTE FUNCTION xs_notice_immutable();

CREATE TRIGGER "Notice_no_update_or_delete"
  BEFORE UPDATE OR DELETE ON "Notice"
  FOR EACH ROW EXECUTE FUNCTION xs_notice_immutable();

CREATE TRIGGER "Notice_no_truncate"
  BEFORE TRUNCATE ON "Notice"
  FOR EACH STATEMENT EXECUTE FUNCTION xs_notice_immutable();

-- Signatures and ballots are evidence too: written once, never changed or removed.
CREATE TRIGGER "AgreementSignature_no_update_or_delete"
  BEFORE UPDATE OR DELETE ON "AgreementSignature"
  FOR EACH ROW EXECUTE FUNCTION xs_notice_immutable();

CREATE TRIGGER "RatificationBallot_no_update_or_delete"
  BEFORE UPDATE OR DELETE ON "RatificationBallot"
  FOR EACH ROW EXECUTE FUNCTION xs_notice_immutable();
