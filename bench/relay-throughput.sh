#!/usr/bin/env bash
# Relay throughput end to end: Postfix's smtp-source sends N messages of SIZE bytes over SESSIONS sessions to the
# gateway in Delivery:Mode=Relay with the full filter chain (antivirus on against a local clamd); the gateway queues
# each message durably and relays it to Postfix's smtp-sink over CONNS connections. The clock stops when the queue
# is empty again. Prints messages/s end to end, the accept rate, and the queue's length sampled every 0.2 s.
#   N=10000 SESSIONS=20 SIZE=10240 CONNS=20 bench/relay-throughput.sh
# Both gateways run the full chain: they get 5,000 warm-up messages (WARMUP), as in chain-throughput.sh, so that the
# runtime has finished its tier-1 compilation before the clock starts.
WARMUP=${WARMUP:-5000}
source "$(dirname "$0")/lib.sh"
N=${N:-10000}; SESSIONS=${SESSIONS:-20}; SIZE=${SIZE:-10240}; CONNS=${CONNS:-20}
bash "$ROOT/scripts/install-deps.sh"
build_gateway

CLAMD_DIR="$OUT/clamd"; CLAMD_PORT=$(free_port)
bash "$ROOT/scripts/clamd.sh" start "$CLAMD_DIR" "$CLAMD_PORT" >/dev/null
GW_PID=""; SINK_PID=""; SAMPLER_PID=""
cleanup() {
  [ -n "$SAMPLER_PID" ] && kill "$SAMPLER_PID" 2>/dev/null
  stop_gateway
  [ -n "$SINK_PID" ] && kill "$SINK_PID" 2>/dev/null
  bash "$ROOT/scripts/clamd.sh" stop "$CLAMD_DIR" >/dev/null 2>&1 || true
  remove_discarded
}
trap cleanup EXIT

# Reference under the same load: the same chain storing into Maildir (no queue, no relaying).
start_gateway maildir --Antivirus:Enabled=true --Antivirus:SocketPath="$(clamd_socket "$CLAMD_DIR")"
maildir_s=$(time_source "$GW_PORT" "$N" "$SESSIONS" "$SIZE")
stop_gateway; GW_PID=""

SINK_PORT=$(free_port)
/usr/sbin/smtp-sink -u nobody "127.0.0.1:$SINK_PORT" 1000 >/dev/null &
SINK_PID=$!
wait_port "$SINK_PORT"

start_gateway relay --Delivery:Mode=Relay --Relay:SmartHost="127.0.0.1:$SINK_PORT" --Relay:Tls=None \
  --Relay:MaxConnections="$CONNS" --Antivirus:Enabled=true --Antivirus:SocketPath="$(clamd_socket "$CLAMD_DIR")"
QUEUE="$OUT/relay/var/queue"
queue_length() { find "$QUEUE" -maxdepth 1 -name '*.eml' 2>/dev/null | wc -l; }

# Warm-up (not timed), then wait until it has all been relayed.
warm_up "$GW_PORT" "$SESSIONS" "$SIZE"
until [ "$(queue_length)" -eq 0 ]; do sleep 0.05; done

SAMPLES="$OUT/relay/queue-samples.txt"
: >"$SAMPLES"
( while true; do queue_length >>"$SAMPLES"; sleep 0.2; done ) &
SAMPLER_PID=$!

start=$(date +%s.%N)
/usr/sbin/smtp-source -s "$SESSIONS" -m "$N" -l "$SIZE" -f bench@sender.test -t rcpt@example.org "127.0.0.1:$GW_PORT" >/dev/null
sent=$(date +%s.%N)
sent_samples=$(wc -l <"$SAMPLES")
until [ "$(queue_length)" -eq 0 ]; do sleep 0.05; done
end=$(date +%s.%N)
kill "$SAMPLER_PID" 2>/dev/null; wait "$SAMPLER_PID" 2>/dev/null || true; SAMPLER_PID=""
rss=$(peak_rss_mb "$GW_PID")

relayed=$(grep -c "Relayed " "$OUT/relay/gateway.log" || true)
deferred=$(grep -c "Deferred " "$OUT/relay/gateway.log" || true)
total_s=$(echo "$end - $start" | bc -l); send_s=$(echo "$sent - $start" | bc -l); drain_s=$(echo "$end - $sent" | bc -l)
# Steady state: the samples taken while smtp-source was sending, without the first and last fifth (ramp up/down).
window() { local n=$1; head -n "$n" "$SAMPLES" | tail -n +$((n / 5 + 1)) | head -n $((n - 2 * (n / 5))); }
q_median=$(window "$sent_samples" | sort -n | awk '{ v[NR] = $1 } END { print NR ? v[int((NR + 1) / 2)] : 0 }')
q_max=$(window "$sent_samples" | sort -n | tail -1)

printf '\nrelay-throughput: %d messages of %d bytes over %d sessions (smtp-source) -> mailgw relay (antivirus on, %d connections) -> smtp-sink, %s cores\n' \
  "$N" "$SIZE" "$SESSIONS" "$CONNS" "$(nproc)"
printf '%-40s %10s\n' "end to end (until the queue is empty)" "$(rate "$N" "$total_s") msgs/s"
printf '%-40s %10s\n' "accepted (smtp-source run)" "$(rate "$N" "$send_s") msgs/s"
printf '%-40s %10s msgs/s\n' "reference: same chain into Maildir" "$(rate "$N" "$maildir_s")"
printf '%-40s %10.2f s / %.2f s / %.2f s\n' "time total / sending / draining" "$total_s" "$send_s" "$drain_s"
printf '%-40s %10s (max %s)\n' "queue length, steady state (median)" "$q_median" "$q_max"
printf '%-40s %10s relayed, %s deferred (warm-up included)\n' "gateway log" "$relayed" "$deferred"
printf '%-40s %10s MB\n' "gateway peak RSS" "$rss"
