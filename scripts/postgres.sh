#!/usr/bin/env bash
# A throwaway PostgreSQL for the store's tests.
#
#   scripts/postgres.sh        install Debian's postgresql if missing, start (or reuse) the cluster in
#                              .pg-test/, create the database scr_test, print its SQLAlchemy URL last on stdout
#   scripts/postgres.sh stop   stop that cluster (its files stay, for the next start)
#
# The cluster listens on 127.0.0.1 only, on a free port, with a random password; no unix socket.
# Everything but the URL goes to stderr, so `URL=$(scripts/postgres.sh)` works.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIR="$ROOT/.pg-test"
DATA="$DIR/data"
DATABASE=scr_test

say() { echo "postgres.sh: $*" >&2; }

as_owner() {  # run a server command as the cluster's owner: postgres when we are root, else ourselves
    if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

server_bin() {  # the newest installed server's bin directory, or nothing
    local found
    found="$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1)"
    [ -n "$found" ] && dirname "$found"
}

install_server() {
    if [ -n "$(server_bin)" ]; then return; fi
    if [ "$(id -u)" != 0 ]; then
        say "PostgreSQL is not installed and this is not root: run 'sudo apt-get install postgresql' first."
        exit 1
    fi
    say "installing Debian's postgresql package"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends postgresql >&2
    if [ -z "$(server_bin)" ]; then say "postgresql installed but no initdb found under /usr/lib/postgresql"; exit 1; fi
}

running() { [ -f "$DATA/PG_VERSION" ] && as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

make_cluster() {
    say "creating a test cluster in $DATA"
    rm -rf "$DIR"
    mkdir -p "$DIR"
    python3 -c 'import secrets; print(secrets.token_hex(16))' >"$DIR/password"
    chmod 700 "$DIR"
    chmod 600 "$DIR/password"
    if [ "$(id -u)" = 0 ]; then chown -R postgres: "$DIR"; fi
    as_owner "$BIN/initdb" -D "$DATA" -U postgres --pwfile="$DIR/password" --auth=scram-sha-256 \
        --encoding=UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 || { cat "$DIR/initdb.log" >&2; exit 1; }
}

start() {
    install_server
    BIN="$(server_bin)"
    if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$ROOT"; then
        say "the postgres user cannot reach $ROOT: put the checkout where other users can read it"
        exit 1
    fi
    [ -f "$DATA/PG_VERSION" ] && [ -f "$DIR/password" ] || make_cluster
    if running; then
        say "reusing the test cluster on port $(cat "$DIR/port")"
    else
        free_port >"$DIR/port"
        say "starting the test cluster on 127.0.0.1:$(cat "$DIR/port")"
        as_owner "$BIN/pg_ctl" -D "$DATA" -l "$DIR/server.log" -w -t 30 start \
            -o "-c listen_addresses=127.0.0.1 -p $(cat "$DIR/port") -c unix_socket_directories=''" >&2 \
            || { tail -n 20 "$DIR/server.log" >&2; exit 1; }
    fi
    local port password
    port="$(cat "$DIR/port")"
    password="$(cat "$DIR/password")"
    export PGHOST=127.0.0.1 PGPORT="$port" PGUSER=postgres PGPASSWORD="$password"
    if [ -z "$("$BIN/psql" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'")" ]; then
        "$BIN/createdb" "$DATABASE"
    fi
    echo "postgresql+psycopg://postgres:$password@127.0.0.1:$port/$DATABASE"
}

stop() {
    BIN="$(server_bin)"
    if [ -n "$BIN" ] && running; then
        as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >&2
    else
        say "no test cluster is running"
    fi
}

case "${1:-start}" in
    start) start ;;
    stop) stop ;;
    *) say "usage: $0 [start|stop]"; exit 2 ;;
esac
