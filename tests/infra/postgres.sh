#!/usr/bin/env bash
# A private PostgreSQL cluster for the server tests: no systemd, no shared cluster.
#
#   tests/infra/postgres.sh start [DIR]   installs PostgreSQL with apt-get when initdb is missing,
#                                         runs initdb + pg_ctl as the postgres user in DIR (default: a
#                                         new temp folder) on 127.0.0.1 and a free port, creates the
#                                         database "weir" and prints its connection string
#   tests/infra/postgres.sh url [DIR]     prints the connection string of a started cluster
#   tests/infra/postgres.sh stop [DIR]    stops the cluster by its PID and removes DIR
#   tests/infra/postgres.sh halt [DIR]    stops the cluster but keeps its data (a database outage)
#   tests/infra/postgres.sh resume [DIR]  starts a halted cluster again on the same port
#
# Without DIR, the last started cluster is remembered in $TMPDIR/weir-postgres.current.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

command="${1:-}"
state_file="${TMPDIR:-/tmp}/weir-postgres.current"
dir="${2:-}"
if [[ -z "$dir" && "$command" != "start" && -f "$state_file" ]]; then
    dir="$(cat "$state_file")"
fi

find_bin() {
    local initdb
    initdb="$(ls -1 /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)"
    if [[ -z "$initdb" ]]; then
        apt_install PostgreSQL postgresql || { echo "Or set WEIR_TEST_POSTGRES to a database the tests may use." >&2; exit 1; }
        initdb="$(ls -1 /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)"
    fi
    dirname "$initdb"
}

as_postgres() {
    if [[ "$(id -u)" == "0" ]]; then
        # runuser keeps no controlling terminal and needs no password
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

free_port() {
    python3 - <<'EOF' 2>/dev/null || echo $((20000 + RANDOM % 20000))
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
EOF
}

url_of() {
    local port
    port="$(cat "$1/port")"
    echo "Host=127.0.0.1;Port=$port;Username=postgres;Password=postgres;Database=weir"
}

# pg_start BIN DIR PORT: starts the cluster in DIR and waits until it accepts connections.
pg_start() {
    # Tests open many connections at once (8 claimers, a pool per test class); fsync off because the
    # cluster is thrown away after the run.
    as_postgres "$1/pg_ctl" -D "$2/data" -l "$2/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $3 -k $2 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null \
        || { cat "$2/server.log" >&2; exit 1; }
}

case "$command" in
start)
    bin="$(find_bin)"
    if [[ -z "$dir" ]]; then
        dir="$(mktemp -d "${TMPDIR:-/tmp}/weir-postgres.XXXXXX")"
    fi
    mkdir -p "$dir"
    chmod 755 "$dir"
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$dir"
    port="$(free_port)"
    echo "$port" >"$dir/port"
    echo postgres >"$dir/pwfile"
    chown postgres "$dir/pwfile"
    as_postgres "$bin/initdb" -D "$dir/data" -U postgres --pwfile="$dir/pwfile" -A scram-sha-256 -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    pg_start "$bin" "$dir" "$port"
    PGPASSWORD=postgres "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qc "CREATE DATABASE weir" >/dev/null
    echo "$dir" >"$state_file"
    echo "$dir" >"$dir/dir"
    url_of "$dir"
    ;;
url)
    [[ -n "$dir" && -f "$dir/port" ]] || { echo "No cluster is started; run '$0 start' first." >&2; exit 1; }
    url_of "$dir"
    ;;
stop)
    [[ -n "$dir" && -d "$dir" ]] || { echo "No cluster is started." >&2; exit 0; }
    if [[ -f "$dir/data/postmaster.pid" ]]; then
        pid="$(head -n 1 "$dir/data/postmaster.pid")"
        kill -INT "$pid" 2>/dev/null || true
        for _ in $(seq 1 100); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -rf "$dir"
    if [[ -f "$state_file" && "$(cat "$state_file")" == "$dir" ]]; then
        rm -f "$state_file"
    fi
    ;;
halt)
    [[ -n "$dir" && -f "$dir/data/postmaster.pid" ]] || { echo "No running cluster in '$dir'." >&2; exit 1; }
    as_postgres "$(find_bin)/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null
    ;;
resume)
    [[ -n "$dir" && -f "$dir/port" ]] || { echo "No cluster in '$dir'; run '$0 start' first." >&2; exit 1; }
    pg_start "$(find_bin)" "$dir" "$(cat "$dir/port")"
    url_of "$dir"
    ;;
*)
    echo "usage: $0 start|url|stop|halt|resume [DIR]" >&2
    exit 2
    ;;
esac
