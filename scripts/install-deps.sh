#!/usr/bin/env bash
# Installs the Debian packages the gateway's tests and benches use (dnsmasq-base: the DNS server the sender-defence
# tests start on loopback with their own zones; publicsuffix: /usr/share/publicsuffix/public_suffix_list.dat, which
# DMARC reads for organisational domains; zip and 7zip: the password-protected archives of the attachment tests;
# openssl: the S/MIME tests sign, encrypt and verify with its CLI; postgresql: the throwaway cluster the tracking tests
# start, PostgresServer.cs). Idempotent; needs root (or sudo).
set -euo pipefail
packages=(swaks postfix bc chromium haproxy docker-compose python3-aiosmtpd dnsmasq-base publicsuffix zip 7zip openssl
  postgresql)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
# Postfix is installed only for smtp-source/smtp-sink; its own daemon stays unconfigured.
echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections
$SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq
$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
