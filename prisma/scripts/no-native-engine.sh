#!/bin/sh
# Placeholder for PRISMA_SCHEMA_ENGINE_BINARY (see prisma/scripts/generate.mjs): never meant to run.
echo "The native Prisma schema engine is not installed here; use npm run db:migrate / db:migration." >&2
exit 1
