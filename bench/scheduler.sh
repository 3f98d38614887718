#!/usr/bin/env bash
# Scheduler throughput (issue 4, issue 14): N sessions wait PENDING in a resource group without agents, then 100
# agents join it through the agent API (declared capacity, no containers) and the scheduler places them all.
# Decisions per second from the sessions' own SCHEDULED timestamps. One fresh `berth server` per database and size;
# its own Docker agent only provides the image catalog (it serves the default group, which no bench session uses).
# Prints Markdown rows for docs/PERFORMANCE.md.
#
# Up to 1,000 sessions are created through the API; beyond that the rest are cloned in SQL from one of them
# (same owner, group, image and resources; a PENDING history entry each; no queue position until a round gives
# them one, which the bench waits for before capacity arrives), because a create costs O(live sessions)
# (quota check, and the scheduling round each create wakes) and 10,000 creates through the API take hours here.
#
#   bench/scheduler.sh [PENDING...]          default: 100 1000 10000
#   BERTH_BENCH_DATABASES="sqlite postgres"  the default; PostgreSQL via scripts/lib.sh ensure_postgres
#
# Needs Docker and the berth/minimal image (scripts/setup-and-run builds it).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../scripts/lib.sh
source "$root/scripts/lib.sh"
sizes=("$@")
[[ ${#sizes[@]} -gt 0 ]] || sizes=(100 1000 10000)
read -r -a databases <<<"${BERTH_BENCH_DATABASES:-sqlite postgres}"

dotnet build "$root/bench/Berth.Bench" -c Release -nologo -v q >&2
"$root/berth" --help >/dev/null
cli="$root/.artifacts/cli/berth.dll"
bench="$root/bench/Berth.Bench/bin/Release/net10.0/Berth.Bench.dll"
work=$(mktemp -d "${BERTH_BENCH_DIR:-/tmp}/bench-sched.XXXXXX")
server=''
stop_server() {
    [[ -n $server ]] || return 0
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    server=''
}
berth_at_exit 'stop_server; rm -rf "$work"'
api_max=${BERTH_BENCH_API_MAX:-1000}

# libpq_conn NPGSQL_CONNECTION_STRING: the same in psql's key=value form.
libpq_conn() {
    local conn=${1//;/ }
    conn=${conn//Username=/user=}; conn=${conn//Database=/dbname=}
    conn=${conn//Host=/host=}; conn=${conn//Port=/port=}; conn=${conn//Password=/password=}
    echo "$conn"
}

# clone_pending DB SQLITE_FILE COUNT: COUNT more PENDING sessions like the first queued one, named clone-1...
clone_pending() {
    local db=$1 file=$2 count=$3 cols
    if [[ $db == sqlite ]]; then
        cols=$(sqlite3 "$file" "SELECT group_concat('\"' || name || '\"', ',') FROM pragma_table_info('sessions') WHERE name NOT IN ('Id','Name')")
        sqlite3 "$file" <<SQL
.timeout 60000
BEGIN IMMEDIATE;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $count)
INSERT INTO sessions ("Id", "Name", $cols)
SELECT upper(substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-4' || substr(h, 14, 3) || '-8' || substr(h, 18, 3) || '-' || substr(h, 21, 12)),
       'clone-' || i, $cols
FROM n, (SELECT lower(hex(randomblob(16))) AS h, * FROM sessions WHERE "Name" = 'queued-00000') AS t;
INSERT INTO session_status_history ("SessionId", "Status", "Reason", "At")
SELECT s."Id", h."Status", h."Reason", h."At" FROM sessions s, session_status_history h, sessions t
WHERE s."Name" LIKE 'clone-%' AND t."Name" = 'queued-00000' AND h."SessionId" = t."Id";
UPDATE sessions SET "QueuePosition" = NULL, "WaitReasonsJson" = NULL WHERE "Name" LIKE 'clone-%';
COMMIT;
SQL
    else
        local conn
        conn=$(libpq_conn "$BERTH_Database__ConnectionString")
        cols=$(psql -X -qtA "$conn" -c "SELECT string_agg('\"' || column_name || '\"', ',') FROM information_schema.columns WHERE table_name = 'sessions' AND column_name NOT IN ('Id','Name')")
        psql -X -q -v ON_ERROR_STOP=1 "$conn" <<SQL
BEGIN;
INSERT INTO sessions ("Id", "Name", $cols)
SELECT gen_random_uuid(), 'clone-' || i, $cols FROM generate_series(1, $count) AS i, sessions WHERE "Name" = 'queued-00000';
-- PostgreSQL returns ties in no fixed order: distinct creation times keep the FIFO queue (and its positions) still.
UPDATE sessions SET "CreatedAt" = "CreatedAt" + substr("Name", 7)::int * interval '1 millisecond' WHERE "Name" LIKE 'clone-%';
INSERT INTO session_status_history ("SessionId", "Status", "Reason", "At")
SELECT s."Id", h."Status", h."Reason", h."At" FROM sessions s, session_status_history h, sessions t
WHERE s."Name" LIKE 'clone-%' AND t."Name" = 'queued-00000' AND h."SessionId" = t."Id";
UPDATE sessions SET "QueuePosition" = NULL, "WaitReasonsJson" = NULL WHERE "Name" LIKE 'clone-%';
COMMIT;
SQL
    fi
}

for db in "${databases[@]}"; do [[ $db == postgres ]] && { ensure_postgres >&2 || exit 1; }; done

echo "| date | database | managers | pending | machine | first SCHEDULED | last SCHEDULED | last event seen | decisions/s (timestamps) | decisions/s (to last event) | vs Slurm 500/s |"
echo "|---|---|---|---:|---|---:|---:|---:|---:|---:|---:|"
for db in "${databases[@]}"; do
    for n in "${sizes[@]}"; do
        run="$work/$db-$n"
        mkdir -p "$run"
        port=$((20000 + RANDOM % 20000))
        export BERTH_CONFIG_DIR="$run/cli" BERTH_ENDPOINT="http://127.0.0.1:$port" BERTH_BENCH_DATA_DIR="$run/data"
        export BERTH_ADMIN_EMAIL=bench@berth.local BERTH_ADMIN_PASSWORD=bench-password-1 BERTH_Agent__Id="bench-$port"
        unset BERTH_Database__Provider BERTH_Database__ConnectionString
        if [[ $db == postgres ]]; then
            # A database of its own per run; the manager creates it (role berth may CREATEDB).
            export BERTH_Database__Provider=postgres
            export BERTH_Database__ConnectionString="${BERTH_TEST_POSTGRES/Database=postgres/Database=bench_sched_${port}_$n}"
        fi
        dotnet "$cli" server --data-dir "$run/data" --listen "127.0.0.1:$port" >"$run/server.log" 2>&1 &
        server=$!
        for _ in $(seq 300); do curl -fs "$BERTH_ENDPOINT/health" >/dev/null && break; sleep 0.2; done
        dotnet "$cli" login --endpoint "$BERTH_ENDPOINT" --email "$BERTH_ADMIN_EMAIL" --password "$BERTH_ADMIN_PASSWORD" >/dev/null
        through_api=$((n < api_max ? n : api_max))
        dotnet "$bench" scheduler-queue "$through_api" || { tail -n 40 "$run/server.log" >&2; exit 1; }
        ((n == through_api)) || clone_pending "$db" "$run/data/berth.db" "$((n - through_api))"
        settle=(); ((n == through_api)) || settle=("clone-$((n - through_api))")
        dotnet "$bench" scheduler-place "$n" "$db" 1 "${settle[@]}" || { tail -n 40 "$run/server.log" >&2; exit 1; }
        stop_server
        # The cluster may be someone else's (ensure_postgres reuses one that answers): leave nothing in it.
        [[ $db != postgres ]] || psql -X -q "$(libpq_conn "${BERTH_TEST_POSTGRES}")" \
            -c "DROP DATABASE IF EXISTS bench_sched_${port}_$n WITH (FORCE)" >&2 || true
        docker ps -aq --filter "label=ai.berth.agent=bench-$port" | xargs -r docker rm -f >/dev/null
    done
done
