#!/usr/bin/env bash
# Web console timings (issue 12): first load of the Sessions page (empty, and over 1,000 sessions), a name
# filter over them, and create call → the new row on screen, in headless Chromium against a real server.
# Prints Markdown rows for docs/PERFORMANCE.md.
#
#   bench/web-console.sh
#
# Needs Docker, the berth/minimal image, /usr/bin/chromium and axe-core's npm ci (scripts/lib.sh).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp)
trap 'rm -f "$out"' EXIT
dotnet build "$root/tests/Berth.Web.Tests" -c Release -nologo -v q >&2
BERTH_TEST_DB=sqlite BERTH_WEB_BENCH_OUT="$out" dotnet test "$root/tests/Berth.Web.Tests" -c Release --no-build -nologo \
    --filter "Category=Bench" >&2
printf '| step | time |\n|---|---|\n'
cat "$out"
