#!/usr/bin/env bash
# Scheduler throughput (issue 4, issue 14): N sessions wait PENDING in a resource group without agents, then 100
# agents join it through the agent API (declared capacity, no containers) and the scheduler places them all.
# Decisions per second from the sessions' own SCHEDULED timestamps. One fresh `berth server` per database and size;
# its own Docker agent only provides the image catalog (it serves the default group, which no bench session uses).
# Prints Markdown rows for docs/PERFORMANCE.md.
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
for db in "${databases[@]}"; do [[ $db == postgres ]] && { ensure_postgres >&2 || exit 1; }; done

echo "| date | database | managers | pending | machine | first SCHEDULED after | all SCHEDULED after | decisions/s | within rounds/s | vs Slurm 500/s |"
echo "|---|---|---|---:|---|---:|---:|---:|---:|---:|"
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
        dotnet "$bench" scheduler "$n" "$db" 1 || { tail -n 40 "$run/server.log" >&2; exit 1; }
        stop_server
        docker ps -aq --filter "label=ai.berth.agent=bench-$port" | xargs -r docker rm -f >/dev/null
    done
done
