#!/usr/bin/env bash
# A PostgreSQL server on loopback for the warehouse tests (tests/warehouse.rs): installs it
# when missing (as root, through apt-get), starts the cluster, and creates the role and
# database `gongkai` (password `gongkai`). Idempotent; scripts/setup.sh runs it.
set -euo pipefail
if [ "$(id -u)" != 0 ]; then
  echo "postgres: run as root to install and start a server (or export PGHOST etc. for your own)" >&2
  exit 0
fi
if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq postgresql >/dev/null
fi
if [ -z "$(pg_lsclusters -h)" ]; then
  pg_createcluster "$(ls /usr/lib/postgresql | sort -n | tail -1)" main >/dev/null
fi
read -r version name _ < <(pg_lsclusters -h | head -1)
pg_ctlcluster "$version" "$name" start 2>/dev/null || true
for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 && break; sleep 1; done
as_postgres() { su postgres -c "$1"; }
as_postgres "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname = 'gongkai'\"" | grep -q 1 ||
  as_postgres "psql -qc \"CREATE ROLE gongkai LOGIN SUPERUSER PASSWORD 'gongkai'\""
as_postgres "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname = 'gongkai'\"" | grep -q 1 ||
  as_postgres "createdb -O gongkai gongkai"
echo "postgres: $version/$name on 127.0.0.1, role and database gongkai"
