-- CreateTable
CREATE TABLE "KnownMinimumWageStandard" (
    "key" TEXT NOT NULL,
    "addedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "KnownMinimumWageStandard_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "MinimumWageBreach" (
    "id" TEXT NOT NULL,
    "noticeVersionId" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "standardKey" TEXT NOT NULL,
    "payPerHourFen" INTEGER NOT NULL,
    "minimumFen" INTEGER NOT NULL,
    "foundAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MinimumWageBreach_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "MinimumWageBreach_sessionId_idx" ON "MinimumWageBreach"("sessionId");

-- CreateIndex
CREATE UNIQUE INDEX "MinimumWageBreach_noticeVersionId_standardKey_key" ON "MinimumWageBreach"("noticeVersionId", "standardKey");
