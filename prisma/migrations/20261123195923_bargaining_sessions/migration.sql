-- CreateEnum
CREATE TYPE "Industry" AS ENUM ('FOOD_DELIVERY', 'EXPRESS', 'RIDE_HAILING', 'FREIGHT', 'OTHER');

-- CreateEnum
CREATE TYPE "SessionState" AS ENUM ('PROPOSED', 'DECLINED', 'WITHDRAWN', 'ACCEPTED', 'BARGAINING', 'SUSPENDED', 'DRAFT_AGREED', 'RATIFICATION', 'RATIFIED', 'SIGNED', 'FILED', 'APPROVED', 'IN_FORCE', 'RENEWAL_REQUESTED', 'EXPIRED');

-- CreateEnum
CREATE TYPE "Side" AS ENUM ('WORKER', 'EMPLOYER');

-- CreateEnum
CREATE TYPE "PartyRole" AS ENUM ('WORKER', 'EMPLOYER', 'OBSERVER');

-- CreateEnum
CREATE TYPE "SeatKind" AS ENUM ('REPRESENTATIVE', 'RECORDER');

-- CreateEnum
CREATE TYPE "RoundStatus" AS ENUM ('SCHEDULED', 'HELD', 'CANCELLED');

-- CreateTable
CREATE TABLE "BargainingSession" (
    "id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "industry" "Industry" NOT NULL,
    "regionCode" TEXT NOT NULL,
    "topics" TEXT[],
    "proposalText" TEXT NOT NULL,
    "state" "SessionState" NOT NULL DEFAULT 'PROPOSED',
    "proposerSide" "Side" NOT NULL,
    "proposedById" TEXT NOT NULL,
    "proposedAt" TIMESTAMP(3) NOT NULL,
    "answeredAt" TIMESTAMP(3),
    "answerReasons" TEXT,
    "representativesPerSide" INTEGER NOT NULL DEFAULT 3,
    "termMonths" INTEGER NOT NULL,
    "plannedEffectiveFrom" TIMESTAMP(3),
    "signedAt" TIMESTAMP(3),
    "filedAt" TIMESTAMP(3),
    "effectiveFrom" TIMESTAMP(3),
    "effectiveUntil" TIMESTAMP(3),
    "agreements" JSONB NOT NULL DEFAULT '{}',
    "signatures" "Side"[],
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BargainingSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SessionParty" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "role" "PartyRole" NOT NULL,
    "isProposer" BOOLEAN NOT NULL DEFAULT false,
    "covered" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SessionParty_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Seat" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "kind" "SeatKind" NOT NULL,
    "side" "Side",
    "userId" TEXT NOT NULL,
    "organizationId" TEXT,
    "isChief" BOOLEAN NOT NULL DEFAULT false,
    "appointedAt" TIMESTAMP(3) NOT NULL,
    "appointedById" TEXT NOT NULL,
    "endedAt" TIMESTAMP(3),
    "endReason" TEXT,
    "replacesSeatId" TEXT,

    CONSTRAINT "Seat_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Round" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "scheduledAt" TIMESTAMP(3) NOT NULL,
    "location" TEXT NOT NULL,
    "agenda" TEXT NOT NULL,
    "chairSide" "Side" NOT NULL,
    "status" "RoundStatus" NOT NULL DEFAULT 'SCHEDULED',
    "heldAt" TIMESTAMP(3),
    "attendeeIds" TEXT[],
    "minutes" TEXT,
    "minutesAt" TIMESTAMP(3),
    "minutesById" TEXT,
    "minutesHash" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Round_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MinutesSignature" (
    "id" TEXT NOT NULL,
    "roundId" TEXT NOT NULL,
    "side" "Side" NOT NULL,
    "userId" TEXT NOT NULL,
    "signedAt" TIMESTAMP(3) NOT NULL,
    "contentHash" TEXT NOT NULL,

    CONSTRAINT "MinutesSignature_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CaucusNote" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "side" "Side" NOT NULL,
    "authorId" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CaucusNote_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "actorId" TEXT,
    "at" TIMESTAMP(3) NOT NULL,
    "ip" TEXT,
    "userAgent" TEXT,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Notification" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "sessionId" TEXT,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "readAt" TIMESTAMP(3),

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "BargainingSession_state_idx" ON "BargainingSession"("state");

-- CreateIndex
CREATE INDEX "BargainingSession_regionCode_industry_idx" ON "BargainingSession"("regionCode", "industry");

-- CreateIndex
CREATE INDEX "SessionParty_organizationId_idx" ON "SessionParty"("organizationId");

-- CreateIndex
CREATE UNIQUE INDEX "SessionParty_sessionId_organizationId_key" ON "SessionParty"("sessionId", "organizationId");

-- CreateIndex
CREATE UNIQUE INDEX "Seat_replacesSeatId_key" ON "Seat"("replacesSeatId");

-- CreateIndex
CREATE INDEX "Seat_sessionId_endedAt_idx" ON "Seat"("sessionId", "endedAt");

-- CreateIndex
CREATE INDEX "Seat_userId_idx" ON "Seat"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "Round_sessionId_number_key" ON "Round"("sessionId", "number");

-- CreateIndex
CREATE UNIQUE INDEX "MinutesSignature_roundId_side_key" ON "MinutesSignature"("roundId", "side");

-- CreateIndex
CREATE INDEX "CaucusNote_sessionId_side_createdAt_idx" ON "CaucusNote"("sessionId", "side", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "AuditEvent_sessionId_seq_key" ON "AuditEvent"("sessionId", "seq");

-- CreateIndex
CREATE INDEX "Notification_userId_readAt_createdAt_idx" ON "Notification"("userId", "readAt", "createdAt");

-- AddForeignKey
ALTER TABLE "BargainingSession" ADD CONSTRAINT "BargainingSession_proposedById_fkey" FOREIGN KEY ("proposedById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SessionParty" ADD CONSTRAINT "SessionParty_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "BargainingSession"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SessionParty" ADD CONSTRAINT "SessionParty_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Seat" ADD CONSTRAINT "Seat_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "BargainingSession"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Seat" ADD CONSTRAINT "Seat_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Seat" ADD CONSTRAINT "Seat_appointedById_fkey" FOREIGN KEY ("appointedById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Seat" ADD CONSTRAINT "Seat_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Seat" ADD CONSTRAINT "Seat_replacesSeatId_fkey" FOREIGN KEY ("replacesSeatId") REFERENCES "Seat"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Round" ADD CONSTRAINT "Round_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "BargainingSession"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MinutesSignature" ADD CONSTRAINT "MinutesSignature_roundId_fkey" FOREIGN KEY ("roundId") REFERENCES "Round"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MinutesSignature" ADD CONSTRAINT "MinutesSignature_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CaucusNote" ADD CONSTRAINT "CaucusNote_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "BargainingSession"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CaucusNote" ADD CONSTRAINT "CaucusNote_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditEvent" ADD CONSTRAINT "AuditEvent_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "BargainingSession"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "BargainingSession"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written: the audit log is append-only. The database itself refuses to change or remove an
-- audit event, whoever asks (the application, a console session, a buggy migration).
CREATE OR REPLACE FUNCTION xs_audit_event_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'AuditEvent is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "AuditEvent_no_update_or_delete"
  BEFORE UPDATE OR DELETE ON "AuditEvent"
  FOR EACH ROW EXECUTE FUNCTION xs_audit_event_append_only();

CREATE TRIGGER "AuditEvent_no_truncate"
  BEFORE TRUNCATE ON "AuditEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION xs_audit_event_append_only();
