-- CreateTable
CREATE TABLE "DraftComment" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "threadId" TEXT,
    "authorId" TEXT NOT NULL,
    "side" "Side",
    "body" TEXT NOT NULL,
    "anchorStart" BYTEA,
    "anchorEnd" BYTEA,
    "quote" TEXT,
    "mentions" "Side"[],
    "resolvedAt" TIMESTAMP(3),
    "resolvedById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DraftComment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TermOffer" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "termKey" TEXT NOT NULL,
    "side" "Side" NOT NULL,
    "authorId" TEXT NOT NULL,
    "value" INTEGER NOT NULL,
    "note" TEXT,
    "roundNumber" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "acceptedAt" TIMESTAMP(3),
    "acceptedById" TEXT,

    CONSTRAINT "TermOffer_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "DraftComment_sessionId_createdAt_idx" ON "DraftComment"("sessionId", "createdAt");

-- CreateIndex
CREATE INDEX "DraftComment_threadId_idx" ON "DraftComment"("threadId");

-- CreateIndex
CREATE INDEX "TermOffer_sessionId_termKey_createdAt_idx" ON "TermOffer"("sessionId", "termKey", "createdAt");

-- AddForeignKey
ALTER TABLE "DraftComment" ADD CONSTRAINT "DraftComment_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TermOffer" ADD CONSTRAINT "TermOffer_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
