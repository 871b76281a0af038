# Real local services for the integration tests; sourced by scripts/test.sh (bash), never executed on its own.
#
#   start_chroma     a throwaway `chroma run` server on a free localhost port   -> VETTING_TEST_CHROMA_URL
#   start_postgres   a throwaway PostgreSQL cluster on a free localhost port     -> VETTING_TEST_DATABASE_URL
#   stop_services    stops everything started here (test.sh installs it as an EXIT trap)
#
# Each start_* registers its own clean-up with `on_stop`. PostgreSQL comes from Debian packages: installed with apt-get
# when missing and running as root (as CI does); without root and without PostgreSQL the PostgreSQL tests skip with a
# reason. The cluster runs as the invoking user, or as `postgres` when invoked as root (PostgreSQL refuses root).

SERVICES_TMP="${SERVICES_TMP:-$(mktemp -d -t vetting-services.XXXXXX)}"
chmod 755 "$SERVICES_TMP"
_STOP_ACTIONS=()

services_say() { echo "services: $*" >&2; }

on_stop() { _STOP_ACTIONS+=("$1"); }

stop_services() {
    local i
    for ((i = ${#_STOP_ACTIONS[@]} - 1; i >= 0; i--)); do
        eval "${_STOP_ACTIONS[$i]}" || true
    done
    _STOP_ACTIONS=()
    rm -rf "$SERVICES_TMP"
}

free_port() {
    "${BIN:-.venv/bin}/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_for() {  # wait_for SECONDS COMMAND...: true once COMMAND succeeds
    local seconds="$1" waited=0
    shift
    until "$@" >/dev/null 2>&1; do
        ((waited >= seconds * 5)) && return 1
        sleep 0.2
        waited=$((waited + 1))
    done
}

start_chroma() {
    local port dir="$SERVICES_TMP/chroma" log="$SERVICES_TMP/chroma.log"
    port="$(free_port)"
    mkdir -p "$dir"
    "${BIN:-.venv/bin}/chroma" run --path "$dir" --host 127.0.0.1 --port "$port" >"$log" 2>&1 </dev/null &
    local pid=$!
    on_stop "kill $pid 2>/dev/null; wait $pid 2>/dev/null"
    if ! wait_for 60 curl -sf "http://127.0.0.1:$port/api/v2/heartbeat"; then
        services_say "the Chroma server did not answer on port $port; last lines of its log:"
        tail -n 20 "$log" >&2
        return 1
    fi
    export VETTING_TEST_CHROMA_URL="http://127.0.0.1:$port"
    services_say "Chroma server at $VETTING_TEST_CHROMA_URL (pid $pid)"
}

_pg_bindir() {
    local found
    if command -v pg_config >/dev/null 2>&1 && [[ -x "$(pg_config --bindir)/initdb" ]]; then
        pg_config --bindir
        return
    fi
    found="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
    if [[ -n "$found" && -x "$found/initdb" ]]; then
        echo "$found"
    elif command -v initdb >/dev/null 2>&1; then
        dirname "$(command -v initdb)"
    fi
}

start_postgres() {
    local bindir
    bindir="$(_pg_bindir)"
    if [[ -z "$bindir" ]]; then
        if [[ "$(id -u)" -ne 0 ]]; then
            services_say "PostgreSQL is not installed and this is not root: the PostgreSQL tests will skip"
            return 0
        fi
        services_say "installing PostgreSQL (Debian packages)"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null \
            || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null; }
        bindir="$(_pg_bindir)"
        [[ -n "$bindir" ]] || { services_say "PostgreSQL installation failed"; return 1; }
    fi
    local as=() user
    user="$(id -un)"
    if [[ "$(id -u)" -eq 0 ]]; then
        as=(runuser -u postgres --)
        user=postgres
    fi
    local port dir="$SERVICES_TMP/postgres" log="$SERVICES_TMP/postgres.log"
    port="$(free_port)"
    mkdir -p "$dir"
    [[ "$(id -u)" -eq 0 ]] && chown postgres "$dir" && touch "$log" && chown postgres "$log"
    "${as[@]}" "$bindir/initdb" -D "$dir/data" -U "$user" --auth=trust -E UTF8 --locale=C.UTF-8 >"$log" 2>&1 \
        || { services_say "initdb failed:"; tail -n 20 "$log" >&2; return 1; }
    "${as[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=200" start >/dev/null \
        || { services_say "PostgreSQL did not start:"; tail -n 20 "$log" >&2; return 1; }
    on_stop "${as[*]} $bindir/pg_ctl -D $dir/data -m immediate stop >/dev/null 2>&1"
    export VETTING_TEST_DATABASE_URL="postgresql+psycopg://$user@127.0.0.1:$port/postgres"
    services_say "PostgreSQL at 127.0.0.1:$port (cluster in $dir)"
}
