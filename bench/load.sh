#!/usr/bin/env bash
# Load: HOLD idle sessions held open while smtp-source sends N messages (SESSIONS at a time) through the full chain
# (antivirus on a local clamd, keywords, model, image heuristic) into Maildir; a probe measures end-of-DATA → reply
# latency meanwhile. The same load runs against Postfix's smtp-sink in the same run. Then one BIG_MB message shows
# how much RSS a large message in flight costs. Prints errors, msgs/s, p50/p99 and peak RSS for both.
#   N=20000 HOLD=1000 bench/load.sh
source "$(dirname "$0")/lib.sh"
N=${N:-20000}; HOLD=${HOLD:-1000}; SESSIONS=${SESSIONS:-20}; BIG_MB=${BIG_MB:-50}; PROBES=${PROBES:-300}
bash "$ROOT/scripts/install-deps.sh"
build_gateway
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
CLAMD_DIR="$OUT/load-clamd"; CLAMD_PORT=$(free_port)
CLAMD_STREAM_MAX_LENGTH=100M bash "$ROOT/scripts/clamd.sh" start "$CLAMD_DIR" "$CLAMD_PORT" >/dev/null
GW_PID=""
trap 'bash "$ROOT/scripts/clamd.sh" stop "$CLAMD_DIR" >/dev/null 2>&1 || true; stop_gateway; remove_discarded' EXIT

run_load() { # label port pid hold
  local label=$1 port=$2 pid=$3 hold=$4 start end errors
  local holder=""
  if [ "$hold" -gt 0 ]; then
    python3 "$ROOT/bench/load-probe.py" hold "$port" "$hold" 600 > "$OUT/$label-hold.txt" &
    holder=$!
    sleep 5
  fi
  python3 "$ROOT/bench/load-probe.py" latency "$port" "$PROBES" > "$OUT/$label-latency.txt" 2>&1 &
  local probe=$!
  start=$(date +%s.%N)
  /usr/sbin/smtp-source -s "$SESSIONS" -m "$N" -l 10240 -f load@sender.test -t rcpt@example.org "127.0.0.1:$port" \
    > "$OUT/$label-source.txt" 2>&1; errors=$?
  end=$(date +%s.%N)
  wait "$probe" || true
  [ -z "$holder" ] || { kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null || true; }
  local rss="-"; [ -n "$pid" ] && rss=$(peak_rss_mb "$pid")
  printf '%-20s idle sessions %s  msgs/s %6.0f  smtp-source exit %s  peak RSS %s MB  %s\n' "$label" \
    "$hold" "$(echo "$N / ($end - $start)" | bc -l)" \
    "$errors" "$rss" "$(tail -1 "$OUT/$label-latency.txt")"
}

SINK_PORT=$(free_port)
/usr/sbin/smtp-sink -u nobody -c "127.0.0.1:$SINK_PORT" 5000 >/dev/null &
SINK_PID=$!
wait_port "$SINK_PORT"
echo "load: $N messages of 10 KB over $SESSIONS sessions while $HOLD idle sessions are held open; $(nproc) cores"
# Seen here: smtp-sink stopped answering new sessions while 900 idle ones were held open, so the reference run
# holds none (SINK_HOLD to change it); the gateway's run holds HOLD.
run_load "postfix smtp-sink" "$SINK_PORT" "" "${SINK_HOLD:-0}"
kill "$SINK_PID"; wait "$SINK_PID" 2>/dev/null || true

start_gateway load --Antivirus:Enabled=true --Antivirus:SocketPath="$(clamd_socket "$CLAMD_DIR")" --Smtp:MaxConnections=5000 \
  --Smtp:MaxConnectionsPerIp=5000 --Smtp:MaxMessageBytes=$(( (BIG_MB + 1) * 1024 * 1024 )) --Serilog:MinimumLevel:Default=Warning
run_load "mailgw full chain" "$GW_PORT" "$GW_PID" "$HOLD"
echo "stored: $(find "$OUT/load/var/mail" -path '*/new/*' -type f | wc -l) of $N (+ $PROBES probes)"
python3 "$ROOT/bench/load-probe.py" big "$GW_PORT" "$BIG_MB" "$GW_PID"
