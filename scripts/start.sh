#!/usr/bin/env bash
# Installs everything, migrates and seeds the catalog (SQLite by default), prepares the model and starts the site.
set -euo pipefail
cd "$(dirname "$0")/.."
export ONNXRUNTIME_NODE_INSTALL=skip NEXT_TELEMETRY_DISABLED=1
PORT="${PORT:-3000}"
npm install --no-audit --no-fund
npm run db:generate
npm run db:migrate
npm run db:seed
npm run prepare:models --if-present
npm run build
echo "Starting http://localhost:$PORT"
exec env PORT="$PORT" node dist/server.mjs
