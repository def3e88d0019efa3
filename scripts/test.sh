#!/usr/bin/env bash
# Runs every test of the solution: installs what the tests need, builds, runs, and prints one summary line
# "Tests: N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh || { echo "installing test dependencies failed"; exit 1; }

log=$(mktemp)
dotnet build MailGateway.sln -c Release -nologo -v quiet 2>&1 | tail -20 || true
dotnet test MailGateway.sln -c Release --no-build -nologo --blame-hang-timeout 5m 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

read -r passed failed skipped < <(grep -E "^(Passed|Failed)!\s+-" "$log" | awk -F'[:,]' '
  { for (i = 1; i <= NF; i++) { gsub(/ /, "", $i) }
    for (i = 1; i < NF; i++) { if ($i ~ /Failed$/) f += $(i+1); if ($i == "Passed") p += $(i+1); if ($i == "Skipped") s += $(i+1) } }
  END { print p + 0, f + 0, s + 0 }')
projects=$(grep -cE "^(Passed|Failed)!\s+-" "$log")
rm -f "$log"
echo "Tests: ${passed} passed, ${failed} failed, ${skipped} skipped (${projects} test projects)"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
