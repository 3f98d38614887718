#!/usr/bin/env bash
# Upload/download throughput of a large file through Berth, against `cp` of the same
# file on the same disk, in the same run (issue 2, acceptance 7).
#
#   bench/transfer.sh [SIZE_MB=1024] [ROUNDS=3]
#
# Starts its own `berth server` on a throwaway data directory next to the file (same
# disk), creates a user and a folder, then per round: cp, upload, download, each timed
# with the best of ROUNDS kept. Prints a Markdown table row for docs/PERFORMANCE.md and
# the server's peak resident memory (VmHWM) over the whole run.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
size_mb=${1:-1024}
rounds=${2:-3}
work=$(mktemp -d "${BERTH_BENCH_DIR:-$root/.artifacts}/bench-transfer.XXXXXX")
port=$((20000 + RANDOM % 20000))
export BERTH_CONFIG_DIR="$work/cli" BERTH_ENDPOINT="http://127.0.0.1:$port"
export BERTH_ADMIN_EMAIL=bench@berth.local BERTH_ADMIN_PASSWORD=bench-password-1

"$root/berth" --help >/dev/null # builds the CLI once, outside the timings
dotnet "$root/.artifacts/cli/berth.dll" server --data-dir "$work/data" --listen "127.0.0.1:$port" >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do curl -fs "$BERTH_ENDPOINT/health" >/dev/null && break; sleep 0.2; done

berth() { dotnet "$root/.artifacts/cli/berth.dll" "$@"; }
berth login --endpoint "$BERTH_ENDPOINT" --email "$BERTH_ADMIN_EMAIL" --password "$BERTH_ADMIN_PASSWORD" >/dev/null
berth vfolder create bench >/dev/null

head -c $((size_mb * 1024 * 1024)) /dev/urandom >"$work/src.bin"
sync

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
best() { printf '%s\n' "$@" | sort -g | head -1; }
cp_t=() up_t=() down_t=()
for r in $(seq "$rounds"); do
    rm -f "$work/copy.bin"; t0=$(now); cp "$work/src.bin" "$work/copy.bin"; t1=$(now)
    cp_t+=("$(elapsed "$t0" "$t1")")
    berth vfolder rm bench src.bin >/dev/null 2>&1 || true
    t0=$(now); berth vfolder upload bench "$work/src.bin" >/dev/null 2>&1; t1=$(now)
    up_t+=("$(elapsed "$t0" "$t1")")
    rm -rf "$work/down"; mkdir -p "$work/down"
    t0=$(now); berth vfolder download bench src.bin --dest "$work/down" >/dev/null 2>&1; t1=$(now)
    down_t+=("$(elapsed "$t0" "$t1")")
    cmp -s "$work/src.bin" "$work/down/src.bin" || { echo "round $r: downloaded file differs" >&2; exit 1; }
done

cp_s=$(best "${cp_t[@]}"); up_s=$(best "${up_t[@]}"); down_s=$(best "${down_t[@]}")
mbps() { awk -v s="$size_mb" -v t="$1" 'BEGIN { printf "%.0f", s / t }'; }
ratio() { awk -v u="$1" -v c="$2" 'BEGIN { printf "%.0f", 100 * c / u }'; }
peak_kb=$(awk '/VmHWM/ {print $2}' "/proc/$server/status")
echo "| $(date -u +%F) | $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) | ${size_mb} MiB | $(mbps "$cp_s") MiB/s | $(mbps "$up_s") MiB/s ($(ratio "$up_s" "$cp_s")% of cp) | $(mbps "$down_s") MiB/s ($(ratio "$down_s" "$cp_s")% of cp) | $((peak_kb / 1024)) MiB |"
