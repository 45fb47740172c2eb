-- CreateTable
CREATE TABLE "DraftDocument" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "snapshot" BYTEA,
    "snapshotSeq" INTEGER NOT NULL DEFAULT 0,
    "lastSeq" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DraftDocument_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DraftUpdate" (
    "documentId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "update" BYTEA NOT NULL,
    "userId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DraftUpdate_pkey" PRIMARY KEY ("documentId","seq")
);

-- CreateIndex
CREATE UNIQUE INDEX "DraftDocument_sessionId_key" ON "DraftDocument"("sessionId");

-- AddForeignKey
ALTER TABLE "DraftUpdate" ADD CONSTRAINT "DraftUpdate_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "DraftDocument"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
