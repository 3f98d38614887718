#!/usr/bin/env bash
# Session start latency: Berth's create→RUNNING for the minimal image with two folders mounted,
# against a raw `docker run -d` of the same image with the same bind mounts, alternating, in the
# same run (issue 3, acceptance 7). Prints a Markdown row for docs/PERFORMANCE.md.
#
#   bench/session-start.sh [RUNS=20]
#
# Needs Docker and the berth/minimal image (scripts/setup-and-run builds it).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-20}
work=$(mktemp -d "${BERTH_BENCH_DIR:-/tmp}/bench-session.XXXXXX")
port=$((20000 + RANDOM % 20000))
export BERTH_CONFIG_DIR="$work/cli" BERTH_ENDPOINT="http://127.0.0.1:$port" BERTH_BENCH_DATA_DIR="$work/data"
export BERTH_ADMIN_EMAIL=bench@berth.local BERTH_ADMIN_PASSWORD=bench-password-1 BERTH_Agent__Id="bench-$port"

dotnet build "$root/bench/Berth.Bench" -c Release -nologo -v q >&2
"$root/berth" --help >/dev/null
dotnet "$root/.artifacts/cli/berth.dll" server --data-dir "$work/data" --listen "127.0.0.1:$port" >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; docker ps -aq --filter "label=ai.berth.agent=bench-$port" | xargs -r docker rm -f >/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 150); do curl -fs "$BERTH_ENDPOINT/health" >/dev/null && break; sleep 0.2; done
dotnet "$root/.artifacts/cli/berth.dll" login --endpoint "$BERTH_ENDPOINT" --email "$BERTH_ADMIN_EMAIL" --password "$BERTH_ADMIN_PASSWORD" >/dev/null
dotnet "$root/bench/Berth.Bench/bin/Release/net10.0/Berth.Bench.dll" session-start "$runs"
