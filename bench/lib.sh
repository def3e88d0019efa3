# Shared helpers for the bench scripts (sourced, not run).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=${BENCH_OUT:-$ROOT/bench/out}
mkdir -p "$OUT"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

wait_port() { # port [seconds]
  local port=$1 deadline=$((SECONDS + ${2:-60}))
  until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || { echo "port $port did not open" >&2; return 1; }
    sleep 0.2
  done
}

build_gateway() {
  dotnet build "$ROOT/src/Gateway" -c Release -nologo -v quiet >/dev/null
  MAILGW_DLL="$ROOT/src/Gateway/bin/Release/net10.0/mailgw.dll"
  # Here, in the script's own shell, so that gateways started in subshells share the one DNS server.
  bench_dns
}

# The gateway reaches the bench's clamd over its unix socket, as on a host that runs both (Debian's clamav-daemon
# listens on a local socket by default); over loopback TCP, bench/clamd-scan.sh measured 10-15% fewer scans/s.
clamd_socket() { echo "$1/clamd.sock"; }

# A previous run's store is moved aside before a run and deleted only when the script exits: ext4 skips inodes freed
# in the last minutes when it allocates new ones, and tens of thousands freed just before a measurement made every file
# creation several times dearer (perf showed recently_deleted() as the top kernel function).
discard_later() { if [ -e "$1" ]; then mv "$1" "$OUT/.discard.$(date +%s%N)"; fi; }
remove_discarded() {
  rm -rf "$OUT"/.discard.*
  if [ -f "$OUT/dns.pid" ]; then kill "$(cat "$OUT/dns.pid")" 2>/dev/null || true; rm -f "$OUT/dns.pid"; fi
}

# bench_dns: the loopback DNS server the gateway's DNS stages ask (dnsmasq answering NXDOMAIN for every name, at
# once), started on first use; its address:port in BENCH_DNS. It ends with remove_discarded, or after 3 hours.
bench_dns() {
  [ -n "${BENCH_DNS:-}" ] && return 0
  command -v /usr/sbin/dnsmasq >/dev/null || bash "$ROOT/scripts/install-deps.sh"
  local port; port=$(free_port)
  timeout 3h /usr/sbin/dnsmasq --keep-in-foreground --pid-file= --conf-file=/dev/null --port="$port" \
    --listen-address=127.0.0.1 --bind-interfaces --no-resolv --no-hosts --user=root --address=/#/ >/dev/null 2>&1 &
  echo $! > "$OUT/dns.pid"
  BENCH_DNS="127.0.0.1:$port"
}

# start_gateway NAME [--Key=Value ...]: starts mailgw with storage under $OUT/NAME; sets GW_PID and GW_PORT.
# The gateway's DNS stages never ask outside the machine: they ask bench_dns's server on loopback.
start_gateway() {
  local name=$1; shift
  bench_dns
  GW_PORT=$(free_port)
  discard_later "$OUT/$name"; mkdir -p "$OUT/$name"
  MAILGW_CONFIG_DIR="${MAILGW_CONFIG_DIR:-$ROOT/config}" dotnet "$MAILGW_DLL" serve --Smtp:Port="$GW_PORT" \
    --Admin:Url="http://127.0.0.1:$(free_port)" --Storage:Root="$OUT/$name/var" \
    --Smtp:MaxConnectionsPerIp=2000 --Dns:Servers:0="$BENCH_DNS" "$@" >"$OUT/$name/gateway.log" 2>&1 &
  GW_PID=$!
  wait_port "$GW_PORT"
}

stop_gateway() { kill -TERM "$GW_PID" 2>/dev/null || true; wait "$GW_PID" 2>/dev/null || true; }

peak_rss_mb() { awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

# cpu_ms PID: user + system CPU time the process has used so far, in milliseconds (all its threads).
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.0f", ($12 + $13) * 1000 / hz }' "/proc/$1/stat"; }
# child_cpu_ms: user + system CPU time of this shell's finished children (a foreground client run), in milliseconds.
child_cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.0f", ($14 + $15) * 1000 / hz }' "/proc/$$/stat"; }

# warm_up PORT [SESSIONS SIZE]: WARMUP messages (default 2000) that are not timed, so every target is measured in
# its steady state (the gateway's JIT has compiled its hot paths), not its first seconds.
WARMUP=${WARMUP:-2000}
warm_up() {
  [ "$WARMUP" -gt 0 ] || return 0
  /usr/sbin/smtp-source -s "${2:-20}" -m "$WARMUP" -l "${3:-10240}" -f bench@sender.test -t rcpt@example.org \
    "127.0.0.1:$1" >/dev/null
}

# time_source PORT COUNT SESSIONS SIZE: warms up, then runs smtp-source and prints the elapsed seconds.
time_source() {
  local start end
  warm_up "$1" "$3" "$4"
  start=$(date +%s.%N)
  /usr/sbin/smtp-source -s "$3" -m "$2" -l "$4" -f bench@sender.test -t rcpt@example.org "127.0.0.1:$1" >/dev/null
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}

rate() { echo "scale=0; $1 / $2" | bc -l; }
