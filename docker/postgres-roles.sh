#!/bin/sh
# Runs once, when the postgres container initializes an empty volume: the two roles Kiroku uses.
# kiroku_owner owns the database and runs the migrations (MIGRATION_DATABASE_URL); kiroku_app is
# what the server connects as (DATABASE_URL) and gets only row access, granted by Kiroku at start.
set -e
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v owner_pw="$KIROKU_OWNER_PASSWORD" -v app_pw="$KIROKU_APP_PASSWORD" -v db="$POSTGRES_DB" <<'SQL'
create role kiroku_owner login password :'owner_pw';
create role kiroku_app login password :'app_pw';
alter database :"db" owner to kiroku_owner;
SQL
