-- CreateTable
CREATE TABLE "DraftVersion" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "snapshot" BYTEA NOT NULL,
    "text" TEXT NOT NULL,
    "terms" JSONB NOT NULL,
    "roundNumber" INTEGER,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DraftVersion_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "DraftVersion_sessionId_createdAt_idx" ON "DraftVersion"("sessionId", "createdAt");
