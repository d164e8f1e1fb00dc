#!/usr/bin/env bash
# Installs everything and runs every test: unit, GPU (software adapter), PostgreSQL, and end-to-end in Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
export ONNXRUNTIME_NODE_INSTALL=skip NEXT_TELEMETRY_DISABLED=1
export VK_ICD_FILENAMES="${VK_ICD_FILENAMES:-/usr/lib/chromium/vk_swiftshader_icd.json}"
step() { printf '\n=== %s ===\n' "$*"; }

step "install"
npm ci --no-audit --no-fund
npm run db:generate
npm run prepare:models --if-present
step "PostgreSQL"
bash scripts/ensure-postgres.sh
step "schema and types"
npm run db:check
npm run typecheck
step "unit, GPU and database tests"
npx vitest run
step "production build"
npm run build
step "end-to-end tests in Chromium"
npx vitest run -c vitest.e2e.config.ts
step "all tests passed"
