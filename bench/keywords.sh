#!/usr/bin/env bash
# Keyword matcher throughput: 10,000 phrases over a 50 KB text (texts/s, Mchars/s, matches/s). No asserts.
#
#   bench/keywords.sh [PHRASES] [SIZE_CHARS] [SECONDS]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dotnet build -c Release -v quiet -nologo "$root/bench/KeywordBench/KeywordBench.csproj" >/dev/null
dotnet "$root/bench/KeywordBench/bin/Release/net10.0/KeywordBench.dll" \
    --phrases "${1:-10000}" --size "${2:-51200}" --seconds "${3:-5}"
