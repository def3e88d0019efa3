#!/usr/bin/env bash
# Scans/s of our clamd client against clamd alone (no SMTP): N clean ~10 KB messages, 4 concurrent scans.
#
#   bench/clamd-scan.sh [MESSAGES] [CONCURRENCY] [SIZE_BYTES]
#
# Starts a private clamd with the test signature database through scripts/clamd.sh (unless CLAMD_PORT names a running
# one), prints the figures, stops what it started. Bounded: the bench stops after BENCH_MAX_SECONDS (default 60).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
messages="${1:-2000}"
concurrency="${2:-4}"
size="${3:-10240}"

started_here=""
if [ -z "${CLAMD_PORT:-}" ]; then
    dir="$(mktemp -d /tmp/mailgw-bench-clamd.XXXXXX)"
    # A loopback port nothing answers on.
    while :; do
        CLAMD_PORT=$((20000 + RANDOM % 20000))
        (exec 3<>"/dev/tcp/127.0.0.1/$CLAMD_PORT") 2>/dev/null || break
    done
    started_here="$dir"
    trap '"$root/scripts/clamd.sh" stop "$started_here"; rm -rf "$started_here"' EXIT
    "$root/scripts/clamd.sh" start "$dir" "$CLAMD_PORT"
fi

dotnet build -c Release -v quiet -nologo "$root/bench/ClamdBench/ClamdBench.csproj" >/dev/null
dotnet "$root/bench/ClamdBench/bin/Release/net10.0/ClamdBench.dll" \
    --port "$CLAMD_PORT" --messages "$messages" --concurrency "$concurrency" --size "$size" \
    --max-seconds "${BENCH_MAX_SECONDS:-60}"
