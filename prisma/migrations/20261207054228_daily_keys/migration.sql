-- CreateTable
CREATE TABLE "DailyKey" (
    "day" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DailyKey_pkey" PRIMARY KEY ("day")
);
