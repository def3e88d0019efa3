#!/usr/bin/env bash
# Quick start: runs the gateway on its embedded defaults (SMTP on 127.0.0.1:2525, admin on 127.0.0.1:8025, storage in
# ./var). When no clamd is configured (MAILGW_Antivirus__Host/Port unset) and none answers on 127.0.0.1:3310, it
# installs and starts a local clamd with the project's test signature database (EICAR and clamav-testfiles) first.
# Extra arguments are passed to `mailgw serve` (e.g. --Smtp:Port 2626).
set -euo pipefail
cd "$(dirname "$0")/.."

av_host=${MAILGW_Antivirus__Host:-127.0.0.1}
av_port=${MAILGW_Antivirus__Port:-3310}
if [ "${MAILGW_Antivirus__Enabled:-true}" != "false" ] && [ "$av_host" = "127.0.0.1" ]; then
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$av_port" && printf 'zPING\0' >&3 && timeout 2 head -c 4 <&3 | grep -q PONG) 2>/dev/null; then
    echo "run.sh: starting a local clamd on 127.0.0.1:$av_port with the test signature database (var/clamd)"
    bash scripts/clamd.sh start "$PWD/var/clamd" "$av_port"
  fi
fi

# DMARC finds organisational domains with Debian's public suffix list (without it, every TLD is the only suffix).
if [ ! -f /usr/share/publicsuffix/public_suffix_list.dat ] && command -v apt-get >/dev/null && [ "$(id -u)" -eq 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends publicsuffix >/dev/null \
    || echo "run.sh: could not install publicsuffix; DMARC treats every top-level domain as the only public suffix"
fi

dotnet build src/Gateway -c Release -nologo -v quiet
exec dotnet src/Gateway/bin/Release/net10.0/mailgw.dll serve "$@"
