# Sourced by tests/db/pg_test.sh and bench/bench_postgresql.sh: a throwaway PostgreSQL server in a scratch
# folder — initdb there, a Unix socket there (no TCP), trust authentication for the one local user, stopped
# on exit. As root the server runs as `nobody` (PostgreSQL refuses root).
#   pg_scratch_start FOLDER   starts it and exports PGHOST, PGUSER, PGDATABASE; defines `psql`
pg_scratch_start() {
  local folder=$1
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  rm -rf "$folder" && mkdir -p "$folder/data" "$folder/socket"
  pg_folder=$(realpath "$folder")
  if [ "$(id -u)" = 0 ]; then chown -R nobody "$pg_folder"; chmod 755 "$pg_folder"; fi
  local user
  user=$(pg_as_server id -un)
  pg_as_server "$pg_bin/initdb" -D "$pg_folder/data" -U "$user" --auth=trust --no-sync >"$pg_folder/initdb.log" 2>&1
  pg_as_server "$pg_bin/pg_ctl" -D "$pg_folder/data" -l "$pg_folder/server.log" -w \
    -o "-c listen_addresses='' -c unix_socket_directories='$pg_folder/socket' -c fsync=off" start >/dev/null
  trap pg_scratch_stop EXIT
  export PGHOST=$pg_folder/socket PGUSER=$user PGDATABASE=postgres
}

pg_as_server() { if [ "$(id -u)" = 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi; }
pg_scratch_stop() { pg_as_server "$pg_bin/pg_ctl" -D "$pg_folder/data" -m fast -w stop >/dev/null 2>&1 || true; }
psql() { "$pg_bin/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }
