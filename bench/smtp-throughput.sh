#!/usr/bin/env bash
# SMTP throughput, side by side in one run: Postfix's smtp-source sends N messages of SIZE bytes over SESSIONS
# parallel sessions to (1) Postfix's smtp-sink, (2) the gateway into Maildir with fsync and no content filter (the
# SMTP core, durable by the default Storage:Sync=FileSystem group commit), (3) the same with Storage:Sync=PerFile (an
# fsync of each file and a shared fsync of new/), (4) the full chain with antivirus off, (5) the full chain with
# antivirus on against a local clamd. Prints messages/s, ratios and the gateway's peak RSS.
#   N=10000 SESSIONS=20 SIZE=10240 bench/smtp-throughput.sh
source "$(dirname "$0")/lib.sh"
N=${N:-10000}; SESSIONS=${SESSIONS:-20}; SIZE=${SIZE:-10240}
bash "$ROOT/scripts/install-deps.sh"
build_gateway

CLAMD_DIR="$OUT/clamd"; CLAMD_PORT=$(free_port)
bash "$ROOT/scripts/clamd.sh" start "$CLAMD_DIR" "$CLAMD_PORT" >/dev/null
GW_PID=""
trap 'bash "$ROOT/scripts/clamd.sh" stop "$CLAMD_DIR" >/dev/null 2>&1 || true; stop_gateway; remove_discarded' EXIT

SINK_PORT=$(free_port)
/usr/sbin/smtp-sink -u nobody -c "127.0.0.1:$SINK_PORT" 1000 >/dev/null &
SINK_PID=$!
wait_port "$SINK_PORT"
sink_s=$(time_source "$SINK_PORT" "$N" "$SESSIONS" "$SIZE")
kill "$SINK_PID"; wait "$SINK_PID" 2>/dev/null || true

run_gateway() { # label, extra settings...
  local label=$1; shift
  start_gateway "$label" "$@"
  local s; s=$(time_source "$GW_PORT" "$N" "$SESSIONS" "$SIZE")
  local rss; rss=$(peak_rss_mb "$GW_PID")
  stop_gateway
  local stored; stored=$(find "$OUT/$label/var/mail" -path '*/new/*' -type f | wc -l)
  echo "$s $rss $stored"
}
read -r core_s core_rss core_stored < <(run_gateway gw-core --Antivirus:Enabled=false --Filters:Order:0=None)
read -r perfile_s perfile_rss perfile_stored < <(run_gateway gw-core-perfile --Antivirus:Enabled=false --Filters:Order:0=None --Storage:Sync=PerFile)
# The full chain runs far more code (MimeKit, ML.NET): with 2,000 warm-up messages perf still showed the runtime's
# tier-1 compiler thread at 11% of the gateway's CPU in the timed run. CHAIN_WARMUP (default 5000) for those rows.
CHAIN_WARMUP=${CHAIN_WARMUP:-5000}
read -r off_s off_rss off_stored < <(WARMUP=$CHAIN_WARMUP run_gateway gw-av-off --Antivirus:Enabled=false)
read -r on_s on_rss on_stored < <(WARMUP=$CHAIN_WARMUP run_gateway gw-av-on --Antivirus:Enabled=true --Antivirus:SocketPath="$(clamd_socket "$CLAMD_DIR")")

sink_rate=$(rate "$N" "$sink_s"); core_rate=$(rate "$N" "$core_s"); perfile_rate=$(rate "$N" "$perfile_s"); off_rate=$(rate "$N" "$off_s"); on_rate=$(rate "$N" "$on_s")
printf '\nsmtp-throughput: %d messages of %d bytes over %d sessions (smtp-source), %s cores\n' "$N" "$SIZE" "$SESSIONS" "$(nproc)"
printf '(untimed warm-up messages first: %d for smtp-sink and the SMTP core, %d for the full-chain rows; stored counts\n include them; antivirus: clamd over its unix socket, its temporary files on tmpfs)\n' "$WARMUP" "$CHAIN_WARMUP"
printf '%-40s %10s %10s %12s %10s\n' target msgs/s seconds peak_RSS_MB stored
printf '%-40s %10s %10.2f %12s %10s\n' "postfix smtp-sink" "$sink_rate" "$sink_s" - -
printf '%-40s %10s %10.2f %12s %10s\n' "mailgw Maildir (syncfs), no filters" "$core_rate" "$core_s" "$core_rss" "$core_stored"
printf '%-40s %10s %10.2f %12s %10s\n' "  the same, fsync per file (PerFile)" "$perfile_rate" "$perfile_s" "$perfile_rss" "$perfile_stored"
printf '%-40s %10s %10.2f %12s %10s\n' "mailgw Maildir (syncfs), antivirus off" "$off_rate" "$off_s" "$off_rss" "$off_stored"
printf '%-40s %10s %10.2f %12s %10s\n' "mailgw Maildir (syncfs), antivirus on" "$on_rate" "$on_s" "$on_rss" "$on_stored"
printf 'ratio mailgw(no filters)/smtp-sink: %.1f%% (PerFile: %.1f%%)\n' "$(echo "100 * $core_rate / $sink_rate" | bc -l)" \
  "$(echo "100 * $perfile_rate / $sink_rate" | bc -l)"
printf 'ratio mailgw(av off)/smtp-sink: %.1f%%\n' "$(echo "100 * $off_rate / $sink_rate" | bc -l)"
printf 'ratio mailgw(av on)/mailgw(av off): %.1f%% (antivirus cost %.1f%%)\n' \
  "$(echo "100 * $on_rate / $off_rate" | bc -l)" "$(echo "100 - 100 * $on_rate / $off_rate" | bc -l)"
