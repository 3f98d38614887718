#!/usr/bin/env bash
# App proxy throughput and latency (issue 5, acceptance 6): the same wrk run against a session's app
# through the manager's app proxy (the app's own pool port, and the path-based /proxy/{token}/ URL)
# and directly against the container port Docker published, in the same run, alternating.
# The app is busybox httpd in berth/minimal serving a tiny file and a 1 MiB file; the app is opened
# --public so that wrk needs no credentials. Prints Markdown rows for docs/PERFORMANCE.md.
#
#   bench/app-proxy.sh [DURATION_S=10] [CONNECTIONS=32] [ROUNDS=2]
#
# Needs Docker and the berth/minimal image; installs wrk with apt-get when missing.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/scripts/lib.sh"
duration=${1:-10}
connections=${2:-32}
rounds=${3:-2}
threads=2
command -v wrk >/dev/null 2>&1 || apt_install wrk

work=$(mktemp -d "${BERTH_BENCH_DIR:-/tmp}/bench-app.XXXXXX")
port=$((20000 + RANDOM % 20000))
export BERTH_CONFIG_DIR="$work/cli" BERTH_ENDPOINT="http://127.0.0.1:$port"
export BERTH_ADMIN_EMAIL=bench@berth.local BERTH_ADMIN_PASSWORD=bench-password-1 BERTH_Agent__Id="bench-$port"
cli() { dotnet "$root/.artifacts/cli/berth.dll" "$@"; }

"$root/berth" --help >/dev/null
# dotnet itself in the background (not the cli function), so that $! is the server and the trap stops it.
dotnet "$root/.artifacts/cli/berth.dll" server --data-dir "$work/data" --listen "127.0.0.1:$port" >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; docker ps -aq --filter "label=ai.berth.agent=bench-$port" | xargs -r docker rm -f >/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 150); do curl -fs "$BERTH_ENDPOINT/health" >/dev/null && break; sleep 0.2; done
cli login --endpoint "$BERTH_ENDPOINT" --email "$BERTH_ADMIN_EMAIL" --password "$BERTH_ADMIN_PASSWORD" >/dev/null

cli session create minimal -t bench --preopen 8080 -r cpu=2 --wait >/dev/null
cli session exec bench -- sh -c 'mkdir -p /tmp/www && echo tiny > /tmp/www/tiny.txt && dd if=/dev/urandom of=/tmp/www/1m.bin bs=1024 count=1024 2>/dev/null && httpd -p 8080 -h /tmp/www' >/dev/null
opened=$(cli app bench port-8080 --public --json)
proxy_url=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["url"].rstrip("/"))' <<<"$opened")
path_url=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["pathUrl"].rstrip("/"))' <<<"$opened")
container=$(docker ps -q --filter "label=ai.berth.agent=bench-$port" | head -1)
# The container's own bridge address: what the proxy forwards to. Sessions publish no port on the host any more
# (issue 10), so "direct" and "bridge" are the same address; wrk runs as root, which the host firewall lets through.
bridge_url="http://$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "$container"):8080"
direct_url=$bridge_url
for _ in $(seq 50); do curl -fs "$proxy_url/tiny.txt" >/dev/null && break; sleep 0.2; done
echo "direct $direct_url, proxy $proxy_url, path $path_url; wrk -t$threads -c$connections -d${duration}s, best of $rounds" >&2

# wrk's summary → "req/s MB/s p50_ms p99_ms"
run_wrk() {
    wrk -t"$threads" -c"$connections" -d"${duration}s" --latency "$1" | awk '
        function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
        function mb(v) { if (v ~ /GB$/) return v * 1024; if (v ~ /MB$/) return v + 0; if (v ~ /KB$/) return v / 1024; return v / 1048576 }
        $1 == "50%" { p50 = ms($2) } $1 == "99%" { p99 = ms($2) }
        $1 == "Requests/sec:" { rps = $2 } $1 == "Transfer/sec:" { mbs = mb($2) }
        END { printf "%.0f %.1f %.2f %.2f\n", rps, mbs, p50, p99 }'
}

best() { sort -n -r | head -1; }
echo "| date | machine | file | target | req/s | MB/s | p50 | p99 | vs direct |"
echo "|---|---|---|---|---|---|---|---|---|"
for file in tiny.txt 1m.bin; do
    declare -A result=()
    for round in $(seq "$rounds"); do
        for target in direct bridge proxy path; do
            case $target in direct) url=$direct_url ;; bridge) url=$bridge_url ;; proxy) url=$proxy_url ;; path) url=$path_url ;; esac
            result[$target]+="$(run_wrk "$url/$file")"$'\n'
        done
    done
    direct_rps=$(best <<<"${result[direct]}" | cut -d' ' -f1)
    for target in direct bridge proxy path; do
        read -r rps mbs p50 p99 <<<"$(best <<<"${result[$target]}")"
        ratio=$(awk -v a="$rps" -v b="$direct_rps" 'BEGIN { printf "%.0f%%", 100 * a / b }')
        label=$target; [[ $target == direct ]] && label="direct (published port)"; [[ $target == bridge ]] && label="container address"; [[ $target == proxy ]] && label="proxy (app port)"; [[ $target == path ]] && label="proxy (/proxy/{token}/)"
        echo "| $(date +%F) | $(nproc) cores | $file | $label | $rps | $mbs | ${p50} ms | ${p99} ms | $ratio |"
    done
    unset result
done
