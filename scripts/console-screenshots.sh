#!/usr/bin/env bash
# Regenerates the screenshots in docs/images/ (docs/admin.md shows them): runs the admin console's Playwright tests
# (Debian's Chromium, real gateways, a throwaway PostgreSQL) with MAILGW_DOCS_SCREENSHOTS=1, which makes each test save
# its page there as well as under the test output's artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build tests/Gateway.Tests/Gateway.Tests.csproj -c Release -nologo -v quiet
MAILGW_DOCS_SCREENSHOTS=1 dotnet test tests/Gateway.Tests/Gateway.Tests.csproj -c Release --no-build --nologo \
  --filter "FullyQualifiedName~ArchiveConsoleTests|FullyQualifiedName~TrackingConsoleTests|FullyQualifiedName~ThresholdTuningTests|FullyQualifiedName~SharedArchiveConsoleTests"
ls -l docs/images/*.png
