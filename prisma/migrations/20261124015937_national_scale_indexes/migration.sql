-- Trigram matching for the notice search indexes below (decision 025). The schema cannot
-- declare an extension, so it is created here.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- CreateIndex
CREATE INDEX "BargainingSession_updatedAt_idx" ON "BargainingSession"("updatedAt" DESC);

-- CreateIndex
CREATE INDEX "NoticeVersion_title_trgm_idx" ON "NoticeVersion" USING GIN ("title" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "NoticeVersion_text_trgm_idx" ON "NoticeVersion" USING GIN ("text" gin_trgm_ops);
