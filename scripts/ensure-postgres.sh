#!/usr/bin/env bash
# Makes sure the PostgreSQL test database answers on loopback (Debian's postgresql cluster).
# Leaves a server it finds running alone; starts the local cluster only when nothing answers.
set -euo pipefail
URL="${POSTGRES_TEST_URL:-postgresql://postgres:postgres@127.0.0.1:5432/mushroom_test}"
if pg_isready -q -d "$URL" 2>/dev/null && psql "$URL" -Atc 'select 1' >/dev/null 2>&1; then exit 0; fi
if ! command -v pg_ctlcluster >/dev/null; then
  echo "PostgreSQL is not installed (apt-get install postgresql) and nothing answers at $URL" >&2
  exit 1
fi
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
pg_lsclusters -h | grep -q "^$version main" || pg_createcluster "$version" main >/dev/null
pg_ctlcluster "$version" main start 2>/dev/null || true
for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 && break; sleep 1; done
run_as_postgres() { if [ "$(id -u)" = 0 ]; then su postgres -c "$1"; else sudo -u postgres sh -c "$1"; fi; }
run_as_postgres "psql -qc \"ALTER USER postgres PASSWORD 'postgres'\""
run_as_postgres "psql -Atc \"select 1 from pg_database where datname='mushroom_test'\" | grep -q 1 || createdb mushroom_test"
psql "$URL" -Atc 'select 1' >/dev/null
echo "PostgreSQL ready at $URL"
