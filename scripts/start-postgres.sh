#!/usr/bin/env bash
# Start a throwaway PostgreSQL cluster for tests and print its URL on stdout (everything else on stderr).
#
#   export NEWSWEAVE_TEST_POSTGRES="$(scripts/start-postgres.sh)"   # start; the URL is the only stdout line
#   scripts/start-postgres.sh stop DIR                               # stop it and delete DIR
#
# The cluster lives in a new temporary folder (or $NEWSWEAVE_PG_DIR), listens on 127.0.0.1 and a unix socket
# in that folder only, trusts local connections, and runs without fsync: it is for tests, never for data.
# NEWSWEAVE_PG_PORT and NEWSWEAVE_PG_DB choose the port (default: a free one) and the database name.
# Needs Debian's `postgresql` package (initdb/pg_ctl under /usr/lib/postgresql/*/bin) or those tools on PATH.
# As root the server runs as the `postgres` user (PostgreSQL refuses to run as root); otherwise as yourself.
set -euo pipefail

find_bin() {
    local tool=$1
    if command -v "$tool" >/dev/null 2>&1; then command -v "$tool"; return; fi
    local found
    found=$(ls -d /usr/lib/postgresql/*/bin/"$tool" 2>/dev/null | sort -V | tail -n 1 || true)
    if [[ -z "$found" ]]; then
        echo "start-postgres: $tool not found; install PostgreSQL (Debian: apt-get install -y postgresql)" >&2
        exit 1
    fi
    echo "$found"
}

as_owner() {  # run a command as the cluster's owner
    if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

BINDIR=$(dirname "$(readlink -f "$(find_bin pg_ctl)")")  # /usr/local/bin/pg_ctl may be a symlink
PG_CTL=$BINDIR/pg_ctl
INITDB=$BINDIR/initdb

if [[ ${1:-} == stop ]]; then
    dir=${2:?usage: start-postgres.sh stop DIR}
    as_owner "$PG_CTL" -D "$dir/data" -m fast stop >&2 || true
    rm -rf -- "$dir"
    exit 0
fi

if [[ $(id -u) -eq 0 ]] && ! id postgres >/dev/null 2>&1; then
    echo "start-postgres: running as root but there is no 'postgres' user to run the server as" >&2
    exit 1
fi

dir=${NEWSWEAVE_PG_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/newsweave-pg.XXXXXX")}
mkdir -p "$dir"
if [[ $(id -u) -eq 0 ]]; then chown postgres: "$dir"; fi
chmod 700 "$dir"

port=${NEWSWEAVE_PG_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
db=${NEWSWEAVE_PG_DB:-newsweave_test}

as_owner "$INITDB" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || {
    cat "$dir/initdb.log" >&2
    exit 1
}
as_owner "$PG_CTL" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >&2 || {
    cat "$dir/server.log" >&2
    exit 1
}
# A linguistic (ICU en-US) collation, as on most real servers, so that tests catch text ordered by the
# database's collation where code-point order (SQLite's) is meant; plain C where ICU is missing.
as_owner "$BINDIR/createdb" -h 127.0.0.1 -p "$port" -U postgres --template=template0 --locale=C.UTF-8 \
    --locale-provider=icu --icu-locale=en-US "$db" >&2 2>/dev/null ||
    as_owner "$BINDIR/createdb" -h 127.0.0.1 -p "$port" -U postgres "$db" >&2

echo "start-postgres: cluster in $dir (stop with: $0 stop $dir)" >&2
echo "postgresql://postgres@127.0.0.1:$port/$db"
